/** The review queue: one row per record awaiting (or past) a decision, newest first. No names. */
import type { ReviewSummary } from '../api/matchReviews';
import { Badge } from '../components/Badge';
import { formatDateTime } from '../people/vocab';
import { Link } from '../router/Link';
import { formatWeight, STATUS_LABELS } from './vocab';
import '../components/table.css';

export function ReviewList({ reviews, caption }: { reviews: ReviewSummary[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="record-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Raised</th>
            <th scope="col">Status</th>
            <th scope="col">Candidates</th>
            <th scope="col">Best match weight</th>
          </tr>
        </thead>
        <tbody>
          {reviews.map((r) => (
            <tr key={r.id}>
              <th scope="row" className="nowrap">
                <Link to={`/match-reviews/${encodeURIComponent(r.id)}`}>Review raised {formatDateTime(r.createdAt)}</Link>
              </th>
              <td>
                <Badge tone={r.status === 'open' ? 'warn' : r.status === 'unsure' ? 'neutral' : 'muted'}>{STATUS_LABELS[r.status]}</Badge>
              </td>
              <td className="num">{r.candidateCount}</td>
              <td className="num">{r.topScore === null ? '—' : formatWeight(r.topScore)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
