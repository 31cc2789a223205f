import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Changing this (e.g. the path) clears a shown error. */
  resetKey?: string;
}

interface State {
  failed: boolean;
}

/** Catches a render error and shows a calm message instead of a blank screen. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // No personal data here: only the component stack, for the browser console.
    console.error('Render error', error.name, info.componentStack);
  }

  override componentDidUpdate(prev: Props): void {
    if (this.state.failed && prev.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="panel error-panel" role="alert">
        <h2>Something went wrong on this page</h2>
        <p>
          Nothing you saved has been lost. Reload the page to try again. If this keeps happening, tell
          your agency administrator what you were doing and when.
        </p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </div>
    );
  }
}
