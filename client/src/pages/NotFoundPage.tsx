import { PageHeading } from '../components/PageHeading';
import { Link } from '../router/Link';

/** An unknown address inside the app. */
export function NotFoundPage() {
  return (
    <>
      <PageHeading title="Page not found" />
      <div className="panel">
        <p>There is no page at this address. It may have moved, or the link may be incomplete.</p>
        <p>
          <Link to="/">Go to Home</Link>
        </p>
      </div>
    </>
  );
}
