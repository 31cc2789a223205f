/**
 * The inbox filters. They live in the URL (`?status=&severity=&ruleId=&assigned=me`), so a
 * filtered inbox can be bookmarked and Back returns to the previous filters. Choices apply on
 * the button, so arrowing through a list does not reload the inbox at every step.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { isSeverity, isStatusFilter, SEVERITIES, STATUS_FILTERS, type AlertFilters, type AlertRule } from '../api/alerts';
import { SelectField } from '../components/SelectField';
import { navigate } from '../router/history';
import { Link } from '../router/Link';
import { hasFilters, inboxPath, SEVERITY_LABELS, STATUS_FILTER_LABELS } from './vocab';

interface FormState {
  status: string;
  severity: string;
  ruleId: string;
  mine: boolean;
}

function toForm(filters: AlertFilters): FormState {
  return { status: filters.status ?? 'active', severity: filters.severity ?? '', ruleId: filters.ruleId ?? '', mine: filters.assigned === 'me' };
}

function fromForm(form: FormState): AlertFilters {
  return {
    status: isStatusFilter(form.status) ? form.status : 'active',
    severity: isSeverity(form.severity) ? form.severity : undefined,
    ruleId: form.ruleId || undefined,
    assigned: form.mine ? 'me' : undefined,
  };
}

export function AlertFilterForm({ filters, rules }: { filters: AlertFilters; rules: AlertRule[] | null }) {
  const [form, setForm] = useState<FormState>(() => toForm(filters));
  // Back and Forward change the URL under the form: follow it.
  const applied = inboxPath(filters);
  const { status, severity, ruleId, assigned } = filters;
  useEffect(() => setForm(toForm({ status, severity, ruleId, assigned })), [status, severity, ruleId, assigned]);

  function update(patch: Partial<FormState>) {
    setForm((current) => ({ ...current, ...patch }));
  }

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    navigate(inboxPath(fromForm(form)));
  }

  const unchanged = applied === inboxPath(fromForm(form));

  return (
    <form className="alert-filters" aria-label="Filter alerts" onSubmit={apply}>
      <div className="alert-filter-fields">
        <SelectField label="Status" name="status" value={form.status} onChange={(e) => update({ status: e.target.value })}>
          {STATUS_FILTERS.map((status) => (
            <option key={status} value={status}>
              {STATUS_FILTER_LABELS[status]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Severity" name="severity" value={form.severity} onChange={(e) => update({ severity: e.target.value })}>
          <option value="">Any severity</option>
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {SEVERITY_LABELS[severity]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Rule"
          name="ruleId"
          value={form.ruleId}
          onChange={(e) => update({ ruleId: e.target.value })}
          hint={rules === null ? 'The list of rules could not be loaded.' : undefined}
        >
          <option value="">Any rule</option>
          {(rules ?? []).map((rule) => (
            <option key={rule.id} value={rule.id}>
              {rule.name}
              {rule.enabled ? '' : ' (switched off)'}
            </option>
          ))}
          {form.ruleId && rules !== null && !rules.some((r) => r.id === form.ruleId) ? <option value={form.ruleId}>{form.ruleId}</option> : null}
        </SelectField>
        <label className="choice alert-filter-mine">
          <input type="checkbox" name="assigned" checked={form.mine} onChange={(e) => update({ mine: e.target.checked })} />
          <span>Assigned to me</span>
        </label>
      </div>
      <div className="button-row alert-filter-buttons">
        <button type="submit" className="button" disabled={unchanged}>
          Apply filters
        </button>
        {hasFilters(filters) ? (
          <Link to="/alerts" className="alert-filter-clear">
            Clear filters
          </Link>
        ) : null}
      </div>
    </form>
  );
}
