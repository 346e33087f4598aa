import { createContext, useContext, type ReactNode } from 'react';
import { useLiveUpdates, type LiveStatus } from './hooks/useLiveUpdates';

const LiveStatusContext = createContext<LiveStatus>('connecting');

/** The signed-in app's one live connection: every page shares it, so moving between pages neither drops nor resyncs it. */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const status = useLiveUpdates();
  return <LiveStatusContext.Provider value={status}>{children}</LiveStatusContext.Provider>;
}

/** The live connection's state, for display. */
export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}
