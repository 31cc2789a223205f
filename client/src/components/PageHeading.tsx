import { useEffect, type ReactNode } from 'react';

const PRODUCT = 'Crisis Care Workspace';

/**
 * The page's `<h1>`; also sets the window title. Focusable so navigation can move focus here.
 * Pass `windowTitle` when the heading holds personal data (a person's name) that should not be
 * kept in the browser's history and tab titles.
 */
export function PageHeading({ title, windowTitle, children }: { title: string; windowTitle?: string; children?: ReactNode }) {
  const documentTitle = windowTitle ?? title;
  useEffect(() => {
    document.title = `${documentTitle} — ${PRODUCT}`;
  }, [documentTitle]);
  return (
    <div className="page-heading">
      <h1 tabIndex={-1}>{title}</h1>
      {children ? <p className="lede">{children}</p> : null}
    </div>
  );
}
