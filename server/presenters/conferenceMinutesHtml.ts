/**
 * Conference minutes as one printable HTML page (also the downloadable file): plain semantic
 * HTML, no scripts or inline styles (the CSP blocks them and the file must read well on its own),
 * every value escaped. Built from the viewer's already-filtered minutes.
 */
import type { Minutes } from './conferenceMinutes';
import { escapeHtml as e } from './sarHtml';

const day = (iso: string | null) => (iso ? e(iso.slice(0, 16).replace('T', ' ')) + ' UTC' : '—');

function table(head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p>${e(empty)}</p>`;
  const th = head.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function renderMinutesHtml(m: Minutes): string {
  const withheld = m.withheld.length
    ? `<section><h2>Withheld from your agency</h2><ul>${m.withheld
        .map((w) => `<li>${e(w.count)} ${w.count === 1 ? 'item' : 'items'} from ${e(w.agencyName)}: ${e(w.reason)}</li>`)
        .join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Minutes: ${e(m.title)}</title>
</head>
<body>
<header>
<h1>Minutes: ${e(m.title)}</h1>
<p>Case conference${m.person.name ? ` about ${e(m.person.name)}` : ''}. Chaired by ${e(m.chair.name)} (${e(m.chair.agencyName)}).</p>
<dl>
<dt>Scheduled</dt><dd>${day(m.scheduledFor)}</dd>
<dt>Started</dt><dd>${day(m.startedAt)}</dd>
<dt>Closed</dt><dd>${day(m.closedAt)}</dd>
<dt>Outcome</dt><dd>${m.outcome.label ? e(m.outcome.label) : '—'}</dd>
</dl>
${m.outcome.summary ? `<p>${e(m.outcome.summary)}</p>` : ''}
<p>Prepared for ${e(m.viewerAgencyName)} on ${day(m.generatedAt)}: shows only what the sharing basis allows your agency to see.</p>
</header>
<main>
<section><h2>Attendees</h2>${table(['Name', 'Agency', 'Role'], m.attendees.map((a) => [e(a.name), e(a.agencyName), e(a.role)]), 'Nobody joined the room.')}
<p>Agencies: ${m.agencies.map(e).join(', ')}</p></section>
<section><h2>Agenda</h2>${m.agenda.length ? `<ol>${m.agenda.map((a) => `<li>${e(a.text)}${a.done ? ' (covered)' : ''}</li>`).join('')}</ol>` : '<p>No agenda.</p>'}</section>
<section><h2>Risk summary</h2>${table(['Category', 'Highest level'], m.riskSummary.map((r) => [e(r.categoryLabel), e(r.levelLabel)]), 'No risk entries.')}
${table(['Category', 'Level', 'Rationale', 'Agency'], m.risks.map((r) => [e(r.categoryLabel), e(r.levelLabel), e(r.rationale), e(r.agencyName)]), '')}</section>
<section><h2>Decisions</h2>${m.decisions.length ? `<ol>${m.decisions.map((d) => `<li>${e(d.text)} <small>(${e(d.agencyName)})</small></li>`).join('')}</ol>` : '<p>No decisions recorded.</p>'}</section>
<section><h2>Actions</h2>${table(
    ['Action', 'Owner', 'Due', 'Status'],
    m.actions.map((a) => [e(a.text), `${e(a.owner.name)} (${e(a.owner.agencyName)})`, e(a.dueAt.slice(0, 10)), e(a.overdue ? 'overdue' : a.status)]),
    'No actions recorded.',
  )}</section>
${withheld}
</main>
</body>
</html>
`;
}
