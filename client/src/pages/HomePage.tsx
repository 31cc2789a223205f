import { useCurrentUser } from '../auth/AuthContext';
import { PageHeading } from '../components/PageHeading';
import { hasAnyRole, PEOPLE_ROLES, ROLE_INFO } from '../roles';
import { Link } from '../router/Link';
import { OpenTasksSummary } from '../tasks/OpenTasksSummary';

/** Welcome: who you are signed in as, what your roles let you do, and what needs attention. */
export function HomePage() {
  const user = useCurrentUser();
  return (
    <>
      <PageHeading title="Home">
        Signed in as <strong>{user.name}</strong>, {user.agency.name}.
      </PageHeading>

      {hasAnyRole(user, PEOPLE_ROLES) ? (
        <nav className="panel" aria-labelledby="quick-links-title">
          <h2 id="quick-links-title">Quick links</h2>
          <ul className="quick-links">
            <li>
              <Link to="/people" className="quick-link">
                Find a person
              </Link>
            </li>
          </ul>
        </nav>
      ) : null}

      <section className="panel" aria-labelledby="attention-title">
        <h2 id="attention-title">Needs your attention</h2>
        <OpenTasksSummary />
        <div className="empty-state">
          <p className="empty-title">No alerts or case conferences yet</p>
          <p className="muted">Alerts, actions and case conferences for you will appear here.</p>
        </div>
      </section>

      <section className="panel" aria-labelledby="roles-title">
        <h2 id="roles-title">What your roles let you do</h2>
        <dl className="role-descriptions">
          {user.roles.map((role) => (
            <div key={role}>
              <dt>{ROLE_INFO[role]?.label ?? role}</dt>
              <dd>{ROLE_INFO[role]?.can ?? 'No description for this role yet.'}</dd>
            </div>
          ))}
        </dl>
        {user.roles.length === 0 ? (
          <p className="muted">You have no roles yet. Ask your agency administrator to assign one.</p>
        ) : null}
      </section>
    </>
  );
}
