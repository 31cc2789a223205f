import type { MouseEvent } from 'react';

/** First focusable element: jumps keyboard users past the header and navigation. */
export function SkipLink({ target = 'main' }: { target?: string }) {
  function skip(event: MouseEvent<HTMLAnchorElement>) {
    const main = document.getElementById(target);
    if (!main) return;
    event.preventDefault(); // keep the URL clean; move focus ourselves
    main.focus();
    main.scrollIntoView();
  }
  return (
    <a className="skip-link" href={`#${target}`} onClick={skip}>
      Skip to content
    </a>
  );
}
