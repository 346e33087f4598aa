import type { TicketsPreventedDto } from '../../../../../contracts/care-metrics';
import { routeHref } from '../../../routes';
import type { DrillDown } from './DrillDownDialog';
import { MetricsCard } from './MetricsCard';

const count = (value: number) => Math.round(value).toLocaleString();

/** Tickets that did not come because an initiative shipped: expected at the old rate, minus those that came. */
export function PreventedCard({ prevented, onDrill }: { prevented: TicketsPreventedDto; onDrill: (drillDown: DrillDown) => void }) {
  return (
    <MetricsCard title="Tickets prevented">
      {prevented.total && (
        <p className="metrics-big" data-testid="prevented-total">
          {count(prevented.total.estimate)} <span className="muted">(likely {count(prevented.total.low)} to {count(prevented.total.high)})</span>
        </p>
      )}
      {prevented.initiatives.length === 0 ? (
        <p className="metrics-empty">No initiative has shipped yet. Once one is marked shipped on the care board, the tickets it saves are counted here.</p>
      ) : (
        <div className="metrics-table-scroll">
          <table className="metrics-table">
            <thead>
              <tr>
                <th>Initiative</th>
                <th>Expected</th>
                <th>Came</th>
                <th>Prevented</th>
              </tr>
            </thead>
            <tbody>
              {prevented.initiatives.map((initiative) => (
                <tr key={initiative.initiativeId}>
                  <th scope="row">
                    <a href={routeHref({ page: 'initiative', initiativeId: initiative.initiativeId })}>{initiative.title}</a>
                  </th>
                  <td>{initiative.prevented ? count(initiative.expected) : '—'}</td>
                  <td>
                    <button
                      type="button"
                      className="metrics-link"
                      onClick={() => onDrill({ title: `${initiative.title}: tickets since it shipped`, query: { figure: 'initiative_tickets', id: initiative.initiativeId } })}
                    >
                      {initiative.actual}
                    </button>
                  </td>
                  <td>{initiative.prevented ? `${count(initiative.prevented.estimate)} (${count(initiative.prevented.low)} to ${count(initiative.prevented.high)})` : 'after its first full week'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </MetricsCard>
  );
}
