import type { User } from '../api/types';
import { matches, navFor } from '../nav';
import { Link } from '../router/Link';

/** Navigation from the nav table, filtered by the user's roles. */
export function Sidebar({ user, pathname }: { user: User; pathname: string }) {
  return (
    <nav className="sidebar" aria-label="Main">
      <ul className="nav-list">
        {navFor(user).map((item) => {
          const match = matches(item, pathname);
          const current = match === 'exact' ? 'page' : match === 'within' ? 'location' : undefined;
          return (
            <li key={item.path}>
              <Link to={item.path} className="nav-link" aria-current={current}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
