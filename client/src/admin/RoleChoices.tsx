/** Role checkboxes for an account; "System administrator" only for viewers who may grant it. */
import { ROLES, type Role } from '../api/types';
import { ROLE_INFO } from '../roles';

export function grantableRoles(viewerIsSystemAdmin: boolean): readonly Role[] {
  return viewerIsSystemAdmin ? ROLES : ROLES.filter((role) => role !== 'system_admin');
}

export function RoleChoices({
  legend,
  value,
  onChange,
  viewerIsSystemAdmin,
  disabled = false,
  hint,
}: {
  legend: string;
  value: Role[];
  onChange: (roles: Role[]) => void;
  viewerIsSystemAdmin: boolean;
  disabled?: boolean;
  hint?: string;
}) {
  const roles = grantableRoles(viewerIsSystemAdmin);
  const hintId = `${legend.replace(/\W+/g, '-').toLowerCase()}-roles-hint`;
  function toggle(role: Role, on: boolean) {
    const next = on ? [...new Set([...value, role])] : value.filter((r) => r !== role);
    // Keep the table's order whatever order they were ticked in.
    onChange(ROLES.filter((r) => next.includes(r)));
  }
  return (
    <fieldset className="choice-group" disabled={disabled} aria-describedby={hint ? hintId : undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <div className="choice-list choice-columns">
        {roles.map((role) => (
          <label key={role} className="choice">
            <input type="checkbox" checked={value.includes(role)} onChange={(e) => toggle(role, e.target.checked)} />
            <span>{ROLE_INFO[role].label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
