import { useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UserDto } from '../../../../../contracts/api';
import type { HeadlineDto, ReportPeriodDto } from '../../../../../contracts/reports';
import { BAD_RATING_REASON_LABELS } from '../../../../../contracts/surveys';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatDateTime } from '../../../lib/format';
import { routeHref } from '../../../routes';
import type { ReportParams } from '../api/reports.api';
import { useReport, useVoidAnswer } from '../hooks/useReports';
import { dayLabel, describeChange, formatDuration, formatFigure, WEEKDAYS } from '../reportFormat';

type Drill = (drill: Record<string, string>) => void;
interface ReportProps {
  params: ReportParams;
  onDrill: Drill;
}

/** Loading, error and "nothing yet" for one report, so every tab says the same thing the same way. */
type ReportQueryState = { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown; data?: { period?: ReportPeriodDto } };

function ReportState({ query, empty, emptyText, children }: { query: ReportQueryState; empty: boolean; emptyText: string; children: ReactNode }) {
  if (query.isPending) return <p className="reports__state" aria-busy="true">Loading figures…</p>;
  if (query.isError) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  const recut = query.data?.period?.recutting && (
    <p role="status" className="reports__recut">
      Recalculating the figures for the new time zone ({query.data.period.timeZone}). Until that finishes, days are still cut in the previous zone; this page updates by itself.
    </p>
  );
  if (empty) {
    return (
      <>
        {recut}
        <p className="reports__state reports__empty">{emptyText}</p>
      </>
    );
  }
  return (
    <>
      {recut}
      {children}
    </>
  );
}

/** A figure's change against the previous period, in words and colour (green when it is good news). */
function Change({ change }: { change: ReturnType<typeof describeChange> }) {
  return <span className={`reports__change reports__change--${change.tone}`}>{change.text}</span>;
}

function Stat({ label, value, hint, change, onClick }: { label: string; value: string; hint?: string; change?: ReturnType<typeof describeChange>; onClick?: () => void }) {
  const body = (
    <>
      <span className="reports__stat-label">{label}</span>
      <strong className="reports__stat-value">{value}</strong>
      {change && <Change change={change} />}
      {hint && <span className="muted reports__stat-hint">{hint}</span>}
    </>
  );
  return onClick ? (
    <button type="button" className="reports__stat reports__stat--link" onClick={onClick}>
      {body}
    </button>
  ) : (
    <div className="reports__stat">{body}</div>
  );
}

function HeadlineCard({ headline, onDrill }: { headline: HeadlineDto; onDrill: Drill }) {
  const change = describeChange(headline);
  const points = headline.series.filter((point) => point.value !== null);
  return (
    <button type="button" className="reports__headline" onClick={() => onDrill({ metric: headline.drill })} data-testid={`headline-${headline.key}`}>
      <span className="reports__stat-label">{headline.label}</span>
      <strong className="reports__stat-value">{formatFigure(headline.value, headline.unit)}</strong>
      <Change change={change} />
      <span className="reports__sparkline" aria-hidden="true">
        {points.length > 1 && (
          <ResponsiveContainer width="100%" height={36}>
            <LineChart data={headline.series}>
              <Line dataKey="value" stroke="#2563eb" strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </span>
    </button>
  );
}

/** A number in a table that opens its tickets; zero or no figure is plain text. */
function DrillNumber({ value, text, onClick }: { value: number | null; text?: string; onClick: () => void }) {
  const label = text ?? (value === null ? '—' : value.toLocaleString());
  if (!value) return <>{label}</>;
  return (
    <button type="button" className="link-button" onClick={onClick}>
      {label}
    </button>
  );
}

/** A duration's change against the previous period: shorter is better. */
const durationChange = (value: number | null, previous: number | null) => describeChange({ value, previous, unit: 'seconds', goodWhen: 'down' });

export function OverviewReport({ params, onDrill }: ReportProps) {
  const query = useReport('overview', params);
  const empty = query.data?.headlines.every((headline) => headline.value === null || headline.value === 0) ?? false;
  return (
    <ReportState query={query} empty={empty} emptyText="No tickets in this period yet. Figures appear here as soon as tickets arrive, are answered and solved.">
      <p className="muted">
        {query.data && `${dayLabel(query.data.period.from)} – ${dayLabel(query.data.period.to)} (${query.data.period.timeZone}), compared with ${dayLabel(query.data.period.previousFrom)} – ${dayLabel(query.data.period.previousTo)}.`}
      </p>
      <div className="reports__headlines">
        {query.data?.headlines.map((headline) => (
          <HeadlineCard key={headline.key} headline={headline} onDrill={onDrill} />
        ))}
      </div>
    </ReportState>
  );
}

export function VolumeReport({ params, onDrill }: ReportProps) {
  const query = useReport('volume', params);
  const days = query.data?.days ?? [];
  const heat = new Map((query.data?.heatmap ?? []).map((cell) => [`${cell.weekday}:${cell.hour}`, cell.count]));
  const busiest = Math.max(1, ...heat.values());
  // The backlog line's point for a day opens the tickets unsolved at that day's end.
  const drillBacklog = (point: unknown) => {
    const day = (point as { payload?: { day?: string } } | undefined)?.payload?.day;
    if (day) onDrill({ metric: 'unsolved', day });
  };
  return (
    <ReportState query={query} empty={days.every((day) => day.created === 0 && day.solved === 0)} emptyText="No tickets were created or solved in this period.">
      <section aria-labelledby="volume-days">
        <h2 id="volume-days">Created, solved and backlog by day</h2>
        <p className="muted">Click a bar, or a point of the backlog line, to see its tickets.</p>
        <div className="reports__chart">
          <ResponsiveContainer width="100%" height="100%">
            {/* Arrivals and solves as bars; the backlog (a level, not a flow) as a line on its own scale. */}
            <ComposedChart data={days.map((day) => ({ ...day, label: dayLabel(day.day) }))} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" fontSize={11} />
              <YAxis yAxisId="flow" allowDecimals={false} fontSize={11} />
              <YAxis yAxisId="backlog" orientation="right" allowDecimals={false} fontSize={11} stroke="#667085" />
              <Tooltip />
              <Legend />
              <Bar yAxisId="flow" dataKey="created" name="Created" fill="#2563eb" cursor="pointer" onClick={(bar: { payload?: { day: string } }) => bar.payload && onDrill({ metric: 'created', day: bar.payload.day })} />
              <Bar yAxisId="flow" dataKey="solved" name="Solved" fill="#12b76a" cursor="pointer" onClick={(bar: { payload?: { day: string } }) => bar.payload && onDrill({ metric: 'solved', day: bar.payload.day })} />
              <Bar yAxisId="flow" dataKey="reopened" name="Reopened" fill="#f79009" cursor="pointer" onClick={(bar: { payload?: { day: string } }) => bar.payload && onDrill({ metric: 'reopened', day: bar.payload.day })} />
              <Line
                yAxisId="backlog"
                dataKey="backlog"
                name="Unsolved at end of day (right scale)"
                stroke="#475467"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
                activeDot={{ r: 6, cursor: 'pointer', onClick: (_: unknown, point: unknown) => drillBacklog(point) }}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      </section>
      <section aria-labelledby="volume-heatmap">
        <h2 id="volume-heatmap">When tickets arrive (hour × weekday)</h2>
        <div className="reports__heatmap-scroll">
          <table className="reports__heatmap">
            <thead>
              <tr>
                <th />
                {Array.from({ length: 24 }, (_, hour) => (
                  <th key={hour} scope="col">
                    {hour}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {WEEKDAYS.map((name, index) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  {Array.from({ length: 24 }, (_, hour) => {
                    const count = heat.get(`${index + 1}:${hour}`) ?? 0;
                    return (
                      <td key={hour} style={{ background: count ? `rgba(37, 99, 235, ${0.12 + (0.88 * count) / busiest})` : undefined }} title={`${name} ${hour}:00 – ${count} tickets`}>
                        {count > 0 && (
                          <button type="button" onClick={() => onDrill({ metric: 'created', weekday: String(index + 1), hour: String(hour) })} aria-label={`${count} tickets on ${name} at ${hour}:00`}>
                            {count}
                          </button>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </ReportState>
  );
}

export function ResponseTimesReport({ params, onDrill }: ReportProps) {
  const query = useReport('response-times', params);
  const data = query.data;
  return (
    <ReportState query={query} empty={!!data && data.firstReply.calendar.count === 0 && data.nextReply.calendar.count === 0 && data.waiting.count === 0} emptyText="No replies in this period yet. First and next reply times appear once agents answer customers.">
      {data && (
        <>
          <div className="reports__stats">
            <Stat
              label="First reply, median"
              value={formatDuration(data.firstReply.calendar.median)}
              change={durationChange(data.firstReply.calendar.median, data.firstReply.previousCalendar.median)}
              hint={`p90 ${formatDuration(data.firstReply.calendar.p90)} · ${data.firstReply.calendar.count} tickets`}
              onClick={() => onDrill({ metric: 'first_reply' })}
            />
            <Stat
              label="First reply in business hours, median"
              value={formatDuration(data.firstReply.business.median)}
              change={durationChange(data.firstReply.business.median, data.firstReply.previousBusiness.median)}
              hint={`p90 ${formatDuration(data.firstReply.business.p90)}`}
              onClick={() => onDrill({ metric: 'first_reply' })}
            />
            <Stat label="Next reply, median" value={formatDuration(data.nextReply.calendar.median)} hint={`p90 ${formatDuration(data.nextReply.calendar.p90)} · business ${formatDuration(data.nextReply.business.median)}`} onClick={() => onDrill({ metric: 'next_reply' })} />
            <Stat label="No reply yet" value={String(data.waiting.count)} hint={data.waiting.oldest[0] ? `longest waiting ${formatDuration(data.waiting.oldest[0].waitingSeconds)}` : undefined} onClick={() => onDrill({ metric: 'no_reply' })} />
          </div>
          <section aria-labelledby="reply-distribution">
            <h2 id="reply-distribution">First reply times</h2>
            <p className="muted">Click a bar to see those tickets, slowest first.</p>
            <div className="reports__chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={data.distribution} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="label" fontSize={11} />
                  <YAxis allowDecimals={false} fontSize={11} />
                  <Tooltip />
                  <Bar
                    dataKey="count"
                    name="Tickets"
                    fill="#2563eb"
                    cursor="pointer"
                    onClick={(bar: { payload?: { minSeconds: number; maxSeconds: number | null } }) =>
                      bar.payload && onDrill({ metric: 'first_reply', minSeconds: String(bar.payload.minSeconds), ...(bar.payload.maxSeconds ? { maxSeconds: String(bar.payload.maxSeconds) } : {}) })
                    }
                  />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </section>
          {data.waiting.oldest.length > 0 && (
            <section aria-labelledby="waiting">
              <h2 id="waiting">Still waiting for a first reply</h2>
              <ul className="reports__list">
                {data.waiting.oldest.map((ticket) => (
                  <li key={ticket.ticketId}>
                    <a href={routeHref({ page: 'inbox', view: 'open', ticketId: ticket.ticketId })}>
                      #{ticket.number} {ticket.subject}
                    </a>
                    <span className="muted"> · no reply yet, waiting {formatDuration(ticket.waitingSeconds)}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </ReportState>
  );
}

export function ResolutionReport({ params, onDrill }: ReportProps) {
  const query = useReport('resolution', params);
  const data = query.data;
  return (
    <ReportState query={query} empty={!!data && data.fullResolution.count === 0} emptyText="No tickets were solved in this period yet.">
      {data && (
        <>
          <div className="reports__stats">
            <Stat label="First resolution, median" value={formatDuration(data.firstResolution.median)} hint={`p90 ${formatDuration(data.firstResolution.p90)}`} onClick={() => onDrill({ metric: 'resolution' })} />
            <Stat label="Full resolution, median" value={formatDuration(data.fullResolution.median)} hint={`p90 ${formatDuration(data.fullResolution.p90)} · ${data.fullResolution.count} tickets`} onClick={() => onDrill({ metric: 'resolution' })} />
            <Stat label="Replies to resolve, median" value={data.repliesToResolve.median === null ? '—' : String(data.repliesToResolve.median)} hint={`p90 ${data.repliesToResolve.p90 ?? '—'}`} onClick={() => onDrill({ metric: 'resolution' })} />
            <Stat label="One-touch resolution" value={data.oneTouch.percent === null ? '—' : `${data.oneTouch.percent}%`} hint={`${data.oneTouch.oneTouch} of ${data.oneTouch.solved} solved`} onClick={() => onDrill({ metric: 'one_touch' })} />
          </div>
          <section aria-labelledby="resolution-days">
            <h2 id="resolution-days">Solved by day</h2>
            <div className="reports__chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={data.days.map((day) => ({ ...day, label: dayLabel(day.day) }))} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="label" fontSize={11} />
                  <YAxis allowDecimals={false} fontSize={11} />
                  <Tooltip />
                  <Bar dataKey="solved" name="Solved" fill="#12b76a" cursor="pointer" onClick={(bar: { payload?: { day: string } }) => bar.payload && onDrill({ metric: 'resolution', day: bar.payload.day })} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </section>
        </>
      )}
    </ReportState>
  );
}

const SLA_LABELS = { first_reply: 'First reply', next_reply: 'Next reply', resolution: 'Resolution' } as const;

export function SlaReport({ params, onDrill }: ReportProps) {
  const query = useReport('sla', params);
  return (
    <ReportState query={query} empty={(query.data?.kinds.length ?? 0) === 0} emptyText="No SLA target was met or breached in this period. Targets come from the SLA policies (SLA page).">
      <table className="reports__table">
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Decided</th>
            <th scope="col">Met</th>
            <th scope="col">Breached</th>
            <th scope="col">% met</th>
          </tr>
        </thead>
        <tbody>
          {query.data?.kinds.map((kind) => (
            <tr key={kind.kind}>
              <th scope="row">{SLA_LABELS[kind.kind]}</th>
              <td>
                <DrillNumber value={kind.total} onClick={() => onDrill({ metric: 'sla_decided', slaKind: kind.kind })} />
              </td>
              <td>
                <DrillNumber value={kind.met} onClick={() => onDrill({ metric: 'sla_met', slaKind: kind.kind })} />
              </td>
              <td>
                <DrillNumber value={kind.breached} onClick={() => onDrill({ metric: 'sla_breached', slaKind: kind.kind })} />
              </td>
              <td>
                <strong>{kind.percentMet === null ? '—' : `${kind.percentMet}%`}</strong>{' '}
                <Change change={describeChange({ value: kind.percentMet, previous: kind.previousPercentMet, unit: 'percent', goodWhen: 'up' })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ReportState>
  );
}

export function SatisfactionReport({ params, onDrill, user }: ReportProps & { user: UserDto }) {
  const query = useReport('satisfaction', params);
  const data = query.data;
  const voiding = useVoidAnswer();
  const [voidingId, setVoidingId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const mayVoid = user.role === 'lead' || user.role === 'admin';
  return (
    <ReportState query={query} empty={!!data && data.answers === 0 && data.list.length === 0} emptyText="No survey answers in this period yet. Customers get a survey after their ticket is solved; their answers appear here at once.">
      {data && (
        <>
          <div className="reports__stats">
            <Stat
              label="Satisfied (CSAT)"
              value={data.percentGood === null ? '—' : `${data.percentGood}%`}
              change={describeChange({ value: data.percentGood, previous: data.previousPercentGood, unit: 'percent', goodWhen: 'up' })}
              hint={`${data.answers} answers`}
              onClick={() => onDrill({ metric: 'csat' })}
            />
            <Stat label="Good answers" value={String(data.good)} onClick={() => onDrill({ metric: 'csat_good' })} />
            <Stat label="Bad answers" value={String(data.bad)} onClick={() => onDrill({ metric: 'csat_bad' })} />
            <Stat label="Response rate" value={data.responseRate === null ? '—' : `${data.responseRate}%`} hint={`${data.answers} answers to ${data.surveysSent} surveys`} />
          </div>
          <section aria-labelledby="answers">
            <h2 id="answers">Answers</h2>
            <ul className="reports__answers" data-testid="survey-answers">
              {data.list.map((answer) => (
                <li key={answer.id} className={answer.voidedAt ? 'reports__answer reports__answer--voided' : 'reports__answer'}>
                  <span className={`reports__rating reports__rating--${answer.good ? 'good' : 'bad'}`}>{answer.good ? 'Good' : 'Bad'}</span>
                  <div>
                    <div>
                      {answer.ticketId && answer.ticketNumber !== null ? <a href={routeHref({ page: 'inbox', view: 'open', ticketId: answer.ticketId })}>#{answer.ticketNumber}</a> : null} {answer.customerName ?? answer.customerEmail}
                      <span className="muted"> · {formatDateTime(answer.answeredAt)}</span>
                    </div>
                    {answer.reason && <div className="muted">{BAD_RATING_REASON_LABELS[answer.reason]}</div>}
                    {answer.comment && <blockquote>{answer.comment}</blockquote>}
                    {answer.voidedAt && <div className="muted">Voided: {answer.voidReason}</div>}
                    {mayVoid && !answer.voidedAt && voidingId !== answer.id && (
                      <button type="button" className="button button--small button--quiet" onClick={() => setVoidingId(answer.id)}>
                        Void…
                      </button>
                    )}
                    {voidingId === answer.id && (
                      <form
                        className="reports__void"
                        onSubmit={(event) => {
                          event.preventDefault();
                          voiding.mutate({ id: answer.id, reason }, { onSuccess: () => setVoidingId(null) });
                        }}
                      >
                        <input value={reason} onChange={(event) => setReason(event.target.value)} placeholder="Why does this answer not count?" aria-label="Reason" />
                        <button type="submit" className="button button--small" disabled={voiding.isPending}>
                          Void answer
                        </button>
                        {voiding.isError && <ErrorNotice error={voiding.error} />}
                      </form>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </ReportState>
  );
}

/** The agent filter of an agent's row; the totals row keeps the page's own filters. */
const agent = (agentId: string | null): Record<string, string> => (agentId ? { agentId } : {});

export function AgentsReport({ params, user, onDrill }: ReportProps & { user: UserDto }) {
  const query = useReport('agents', params);
  const data = query.data;
  const rows = data ? [...data.rows, ...(user.role === 'agent' ? [] : [data.totals])] : [];
  return (
    <ReportState query={query} empty={!!data && data.totals.solved === 0 && data.totals.replies === 0} emptyText="No replies or solved tickets in this period yet.">
      {user.role === 'care_owner' && <p className="muted">Care owners see the workspace's totals; leads see each agent.</p>}
      <table className="reports__table">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Solved</th>
            <th scope="col">Replies</th>
            <th scope="col">First reply (median)</th>
            <th scope="col">CSAT</th>
            <th scope="col">One-touch</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.agentId ?? 'total'} className={row.agentId ? undefined : 'reports__total'}>
              <th scope="row">{row.name}</th>
              <td>
                <DrillNumber value={row.solved} onClick={() => onDrill({ metric: 'resolution', ...agent(row.agentId) })} />
              </td>
              <td>{row.replies}</td>
              <td>
                <DrillNumber value={row.firstReplyMedian} text={formatDuration(row.firstReplyMedian)} onClick={() => onDrill({ metric: 'first_reply', ...agent(row.agentId) })} />
              </td>
              <td>
                <DrillNumber value={row.csatAnswers} text={row.csatPercent === null ? '—' : `${row.csatPercent}% (${row.csatAnswers})`} onClick={() => onDrill({ metric: 'csat', ...agent(row.agentId) })} />
              </td>
              <td>
                <DrillNumber value={row.oneTouchPercent} text={row.oneTouchPercent === null ? '—' : `${row.oneTouchPercent}%`} onClick={() => onDrill({ metric: 'one_touch', ...agent(row.agentId) })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ReportState>
  );
}
