import type { User } from '../api/types';
import { roleLabel } from '../roles';
import { ConnectionStatus } from './ConnectionStatus';
import { SignOutButton } from './SignOutButton';

/** Product name, who is signed in (name, agency, roles), live status and sign-out. */
export function AppHeader({ user, live = true }: { user: User; live?: boolean }) {
  return (
    <header className="app-header">
      <span className="product-name">Crisis Care Workspace</span>
      <div className="user-summary">
        <div className="user-identity">
          <span className="user-name">{user.name}</span>
          <span className="user-agency">{user.agency.name}</span>
        </div>
        <ul className="role-list" aria-label="Your roles">
          {user.roles.map((role) => (
            <li key={role} className="role-chip">
              {roleLabel(role)}
            </li>
          ))}
        </ul>
        {live ? <ConnectionStatus /> : null}
        <SignOutButton />
      </div>
    </header>
  );
}
