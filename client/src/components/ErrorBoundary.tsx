import { Component, type ReactNode } from 'react';
import { FullPageMessage } from './FullPageMessage';

/** A rendering bug shows a way out instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <FullPageMessage>
        <p>Careloop ran into an unexpected problem.</p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </FullPageMessage>
    );
  }
}
