import { useEffect, useState, type FormEvent } from 'react';
import type { ReportSettingsDto } from '../../../../../contracts/reports';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { routeHref } from '../../../routes';
import { useReportSettings, useUpdateReportSettings } from '../hooks/useReports';

const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/**
 * The settings the reports and surveys read (leads and admins): the workspace's name (on the survey page and
 * email), the time zone report periods are cut in, and the CSAT survey: on or off, its delay, its scale.
 * Business hours are each ticket's SLA calendar, edited on the SLA page.
 */
export function ReportSettingsForm() {
  const settings = useReportSettings();
  const update = useUpdateReportSettings();
  const [draft, setDraft] = useState<ReportSettingsDto | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data && !draft) setDraft(settings.data);
  }, [settings.data, draft]);
  if (settings.isError) return <ErrorNotice error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!draft) return <p className="reports__state">Loading settings…</p>;
  const change = (changes: Partial<ReportSettingsDto>) => {
    setSaved(false);
    setDraft({ ...draft, ...changes });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(draft, { onSuccess: (next) => (setDraft(next), setSaved(true)) });
  };
  return (
    <form className="reports__settings" onSubmit={submit} aria-labelledby="report-settings-title">
      <h2 id="report-settings-title">Report and survey settings</h2>
      <fieldset>
        <legend>Reports</legend>
        <label>
          <span>Workspace name</span>
          <input value={draft.workspaceName} onChange={(event) => change({ workspaceName: event.target.value })} required maxLength={120} />
          <small className="muted">Shown to customers on the survey page and in its email.</small>
        </label>
        <label>
          <span>Time zone</span>
          <input value={draft.timeZone} onChange={(event) => change({ timeZone: event.target.value })} list="report-time-zones" required />
          <datalist id="report-time-zones">
            {TIME_ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <small className="muted">Days, weeks and the heatmap's hours are cut in this zone (e.g. Europe/Berlin).</small>
        </label>
        <p className="muted">
          Business-hours figures use each ticket's SLA calendar, as it was when the reply happened. Calendars are edited on the <a href={routeHref({ page: 'sla' })}>SLA page</a>.
        </p>
      </fieldset>
      <fieldset>
        <legend>Satisfaction survey (CSAT)</legend>
        <label className="reports__checkbox">
          <input type="checkbox" checked={draft.surveysEnabled} onChange={(event) => change({ surveysEnabled: event.target.checked })} />
          <span>Email a survey after a ticket is solved</span>
        </label>
        <label>
          <span>Send it this many hours after the solve</span>
          <input type="number" min={0} max={336} value={draft.surveyDelayHours} onChange={(event) => change({ surveyDelayHours: Number(event.target.value) })} required disabled={!draft.surveysEnabled} />
          <small className="muted">A ticket reopened before then gets no survey.</small>
        </label>
        <label>
          <span>Answers</span>
          <select value={draft.csatScale} onChange={(event) => change({ csatScale: event.target.value as ReportSettingsDto['csatScale'] })} disabled={!draft.surveysEnabled}>
            <option value="good_bad">Good / Bad</option>
            <option value="five">A scale of 1 to 5</option>
          </select>
        </label>
      </fieldset>
      {update.isError && <ErrorNotice error={update.error} />}
      <div className="reports__settings-actions">
        <button type="submit" className="button button--primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save settings'}
        </button>
        {saved && (
          <span role="status" className="muted">
            {draft.recutting ? 'Saved. The reports are being recalculated for the new time zone; on a large workspace this takes a few minutes.' : 'Saved.'}
          </span>
        )}
      </div>
    </form>
  );
}
