import type { JourneyDto } from '../../../../../contracts/journeys';
import { errorMessage } from '../../../api/client';
import { activateJourney, pauseJourney } from '../api/journeys.api';
import { useJourneyChange } from '../hooks/useJourneys';

/** A journey's status with the button that pauses it, resumes it or switches it on. */
export function JourneyStatusToggle({ journey }: { journey: JourneyDto }) {
  const toggle = useJourneyChange((current: JourneyDto) => (current.status === 'active' ? pauseJourney(current.id) : activateJourney(current.id)));
  return (
    <span className="journeys__toggle">
      <span className={`journeys__status journeys__status--${journey.status}`}>{journey.status}</span>
      <button type="button" className="button button--small" disabled={toggle.isPending} onClick={() => toggle.mutate(journey)}>
        {journey.status === 'active' ? 'Pause' : journey.status === 'paused' ? 'Resume' : 'Switch on'}
      </button>
      {toggle.isError && <span className="form-error">{errorMessage(toggle.error)}</span>}
    </span>
  );
}
