import { PageHeading } from '../components/PageHeading';
import { Link } from '../router/Link';

/** A real page that the user's roles do not include. */
export function NoAccessPage() {
  return (
    <>
      <PageHeading title="Not available to your role" />
      <div className="panel">
        <p>
          This page is not part of your roles. If you need it for your work, ask your agency administrator.
        </p>
        <p>
          <Link to="/">Go to Home</Link>
        </p>
      </div>
    </>
  );
}
