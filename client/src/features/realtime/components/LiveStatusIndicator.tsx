import type { LiveStatus } from '../hooks/useLiveUpdates';

const LIVE_STATUS_TEXT: Record<LiveStatus, { label: string; title: string }> = {
  connecting: { label: 'Connecting', title: 'Connecting for live updates…' },
  live: { label: 'Live', title: 'Updates appear as they happen' },
  offline: { label: 'Offline', title: 'Live updates are unavailable; lists refresh when you act or reload' },
};

export function LiveStatusIndicator({ status }: { status: LiveStatus }) {
  const { label, title } = LIVE_STATUS_TEXT[status];
  return (
    <span className={`live-status live-status--${status}`} title={title} data-testid="live-status" data-status={status}>
      {label}
    </span>
  );
}
