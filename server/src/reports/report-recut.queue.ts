/** The job that recuts the report rollups after the workspace's time zone changed (ReportRecut). */
export const REPORT_RECUT_QUEUE = 'reports.recut';
