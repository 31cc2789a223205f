import { useEffect, type ReactNode } from 'react';

const PRODUCT = 'Crisis Care Workspace';

/** The page's `<h1>`; also sets the window title. Focusable so navigation can move focus here. */
export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} — ${PRODUCT}`;
  }, [title]);
  return (
    <div className="page-heading">
      <h1 tabIndex={-1}>{title}</h1>
      {children ? <p className="lede">{children}</p> : null}
    </div>
  );
}
