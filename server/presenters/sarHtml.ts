/**
 * The subject access report as one printable HTML page: plain semantic HTML (no scripts, no
 * styles — the CSP blocks inline ones and the file must read well on its own), every value escaped.
 */
import type { SubjectAccessReport } from './sar';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const e = escapeHtml;
const dash = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : e(v));
const list = (v: readonly string[]) => (v.length ? v.map(e).join(', ') : '—');

function dl(rows: [string, string][]): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p>None held.</p>';
  const th = head.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Renders the report (already whitelisted by presentSubjectAccess) as a complete HTML document. */
export function renderSubjectAccessHtml(r: SubjectAccessReport): string {
  const agencyName = new Map(r.agencies.map((a) => [a.id, a.name]));
  const agency = (id: string | null) => (id ? e(agencyName.get(id) ?? id) : '—');
  const agencies = (ids: readonly string[]) => (ids.length ? ids.map(agency).join(', ') : '—');
  const d = r.person.demographics;

  const encounters = r.encounters.map((x) => {
    const sensitive = Object.entries(x.sensitive).map(([k, v]) => [k, dash(v)] as [string, string]);
    return `<article>
<h3>${agency(x.agencyId)}: ${e(x.kind)} on ${e(x.occurredAt)}</h3>
${dl([
  ['Reference', e(x.externalRef)],
  ['Name as recorded', dash([x.subject.givenName, x.subject.familyName].filter(Boolean).join(' '))],
  ['Date of birth', dash(x.subject.dateOfBirth)],
  ['NHS number', dash(x.subject.nhsNumber)],
  ['Address', dash(x.subject.address)],
  ['Postcode', dash(x.subject.postcode)],
  ['Phone', dash(x.subject.phone)],
  ['Summary', dash(x.summary)],
  ['Kinds of information', list(x.categories)],
  ...sensitive,
])}
${x.riskIndicators.length ? table(['Risk', 'Level', 'Note'], x.riskIndicators.map((ri) => [e(ri.category), e(ri.level), dash(ri.note)])) : ''}
</article>`;
  });

  const consents = r.consents.map((c) => [
    e(c.recordedAt), e(c.status), c.scope.allPanel ? 'All panel agencies' : agencies(c.scope.agencies),
    list(c.scope.purposes), list(c.scope.categories), dash(c.evidence), agency(c.recordedByAgency), dash(c.expiresAt),
  ]);
  const decisions = r.sharingDecisions.map((x) => [
    e(x.decidedAt), e(x.basis), e(x.status), dash(x.justification), agencies(x.scope.agencies), list(x.scope.purposes),
    list(x.scope.categories), agency(x.decidedByAgency), e(x.expiresAt),
  ]);
  const audit = r.auditEvents.map((a) => [
    e(a.seq), e(a.at), e(a.action), e(a.outcome), agency(a.actor.agencyId), dash(a.purpose), dash(a.reason),
  ]);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Subject access request: information held</title>
</head>
<body>
<header>
<h1>Subject access request: information held</h1>
<p>Generated ${e(r.generatedAt)} by user ${e(r.generatedBy)} (${agency(r.generatedByAgency)}). Review for
third-party information before release.</p>
</header>
<main>
<section>
<h2>The person</h2>
${dl([
  ['Reference', e(r.person.id)],
  ['Given name', dash(d.givenName)],
  ['Family name', dash(d.familyName)],
  ['Date of birth', dash(d.dateOfBirth)],
  ['NHS number', dash(d.nhsNumber)],
  ['Postcode', dash(d.postcode)],
  ['Agreed summary', dash(r.person.tellItOnce?.text)],
  ['Staff safety flags', list(r.person.flags.staffSafety)],
  ['Agencies holding records', agencies(r.person.agencyIds)],
])}
</section>
<section>
<h2>Records held by agencies (${r.encounters.length})</h2>
${encounters.length ? encounters.join('\n') : '<p>None held.</p>'}
</section>
<section>
<h2>Consent history (${r.consents.length})</h2>
${table(['Recorded', 'Decision', 'Agencies', 'Purposes', 'Information', 'Evidence', 'Recorded by', 'Expires'], consents)}
</section>
<section>
<h2>Decisions to share without consent (${r.sharingDecisions.length})</h2>
${table(['Decided', 'Basis', 'Status', 'Justification', 'Agencies', 'Purposes', 'Information', 'Decided by', 'Expires'], decisions)}
</section>
<section>
<h2>Who accessed the record (${r.auditEvents.length})</h2>
${table(['#', 'When', 'Action', 'Outcome', 'Agency', 'Purpose', 'Reason'], audit)}
</section>
</main>
</body>
</html>
`;
}
