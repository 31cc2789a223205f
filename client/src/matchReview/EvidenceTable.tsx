/**
 * One candidate beside the record under review: per comparison, the reviewer's value, the
 * candidate's value (or why it is withheld), the level that applied and its match weight.
 */
import type { ReviewCandidate } from '../api/matchReviews';
import { comparisonLabel, formatWeight } from './vocab';
import '../components/table.css';

function Value({ value, withheld }: { value: string | null; withheld?: boolean }) {
  if (value !== null) return <>{value}</>;
  return <span className="muted">{withheld ? 'Withheld' : 'Not recorded'}</span>;
}

export function EvidenceTable({ candidate, ownAgency }: { candidate: ReviewCandidate; ownAgency: string }) {
  const { matchedRecord } = candidate;
  const theirs = matchedRecord.agencyName ?? 'Another agency';
  return (
    <div className="table-scroll">
      <table className="record-table evidence-table">
        <caption>Field by field: your record and the candidate's best-matching record</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Your record ({ownAgency})</th>
            <th scope="col">Candidate's record ({theirs})</th>
            <th scope="col">Comparison</th>
            <th scope="col" className="num">Weight</th>
          </tr>
        </thead>
        <tbody>
          {candidate.fields.map((f) => (
            <tr key={f.comparison}>
              <th scope="row">{comparisonLabel(f.comparison)}</th>
              <td>
                <Value value={f.mine} />
              </td>
              <td>
                <Value value={f.theirs} withheld={!matchedRecord.visible && f.level !== 'missing'} />
              </td>
              <td>{f.levelLabel}</td>
              <td className={`num ${f.weight > 0 ? 'weight-for' : f.weight < 0 ? 'weight-against' : ''}`}>{formatWeight(f.weight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
