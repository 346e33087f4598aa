import { useState, type DragEvent } from 'react';
import { describeSignalThresholds, INITIATIVE_STATUSES, type InitiativeDto, type InitiativeStatus, type SignalDto } from '../../../../../contracts/care';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { routeHref } from '../../../routes';
import { useTagSettings } from '../../tags/hooks/useTagInsights';
import { useBoard, useMoveInitiative, useSignals } from '../hooks/useCare';
import '../care.css';
import { COLUMN_TITLES } from './careFormat';
import { PromoteDialog } from './PromoteDialog';
import { SignalCard } from './SignalCard';

const INITIATIVE_TYPE = 'application/x-careloop-initiative';
const SIGNAL_TYPE = 'application/x-careloop-signal';

function InitiativeCard({ initiative, onDropBefore }: { initiative: InitiativeDto; onDropBefore: (event: DragEvent) => void }) {
  return (
    <li
      className="care-card"
      draggable
      onDragStart={(event) => event.dataTransfer.setData(INITIATIVE_TYPE, initiative.id)}
      onDragOver={(event) => event.preventDefault()}
      onDrop={onDropBefore}
      data-testid="initiative-card"
    >
      <a className="care-card__title" href={routeHref({ page: 'initiative', initiativeId: initiative.id })}>
        {initiative.title}
      </a>
      <p className="muted care-card__note">
        {initiative.ticketCount} tickets{initiative.tags.length > 0 && ` · ${initiative.tags.join(', ')}`}
        {initiative.commentCount > 0 && ` · ${initiative.commentCount} comments`}
      </p>
    </li>
  );
}

/**
 * The care-initiative board: detected signals, then the initiatives by status. Cards move by drag and drop (HTML5);
 * a signal dropped on a column opens the promote form. Moves by other care owners arrive over the socket.
 */
export function CareBoardPage() {
  const board = useBoard();
  const signals = useSignals();
  const settings = useTagSettings();
  const move = useMoveInitiative();
  const [promoting, setPromoting] = useState<SignalDto | null>(null);

  const signalsOnBoard = new Set((board.data ?? []).filter((initiative) => initiative.status !== 'done').map((initiative) => initiative.signalKey));
  const column = (status: InitiativeStatus) => (board.data ?? []).filter((initiative) => initiative.status === status).sort((a, b) => a.position - b.position);

  const dropAt = (status: InitiativeStatus, index: number) => (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const initiativeId = event.dataTransfer.getData(INITIATIVE_TYPE);
    if (initiativeId) {
      move.mutate({ id: initiativeId, move: { status, index } });
      return;
    }
    const signal = signals.data?.signals.find((candidate) => candidate.key === event.dataTransfer.getData(SIGNAL_TYPE));
    if (signal) setPromoting(signal);
  };

  return (
    <div className="care-board-page">
      <h1>Care initiatives</h1>
      {board.isError && <ErrorNotice error={board.error} onRetry={() => void board.refetch()} />}
      {move.isError && <ErrorNotice error={move.error} />}
      <div className="care-board">
        <section className="care-column" aria-labelledby="column-signals">
          <h2 id="column-signals" className="care-column__title">
            Signals
          </h2>
          {settings.data && (
            <p className="muted care-column__rules" data-testid="signal-rules">
              {describeSignalThresholds(settings.data).rising} {describeSignalThresholds(settings.data).recurring} <a href={routeHref({ page: 'tags' })}>Change</a>
            </p>
          )}
          {signals.isPending && <p className="muted">Reading the rollups…</p>}
          {signals.isError && <ErrorNotice error={signals.error} onRetry={() => void signals.refetch()} />}
          {signals.data?.signals.length === 0 && <p className="muted">Nothing is rising or recurring this week.</p>}
          <ol className="care-column__cards">
            {signals.data?.signals.map((signal) => (
              <SignalCard key={signal.key} signal={signal} onBoard={signalsOnBoard.has(signal.key)} onPromote={() => setPromoting(signal)} />
            ))}
          </ol>
        </section>
        {INITIATIVE_STATUSES.map((status) => {
          const cards = column(status);
          return (
            <section
              key={status}
              className="care-column"
              aria-labelledby={`column-${status}`}
              onDragOver={(event) => event.preventDefault()}
              onDrop={dropAt(status, cards.length)}
              data-testid={`column-${status}`}
            >
              <h2 id={`column-${status}`} className="care-column__title">
                {COLUMN_TITLES[status]} <span className="muted">{cards.length}</span>
              </h2>
              <ol className="care-column__cards">
                {cards.map((initiative, index) => (
                  <InitiativeCard key={initiative.id} initiative={initiative} onDropBefore={dropAt(status, index)} />
                ))}
              </ol>
            </section>
          );
        })}
      </div>
      {promoting && <PromoteDialog signal={promoting} onClose={() => setPromoting(null)} />}
    </div>
  );
}
