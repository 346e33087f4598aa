/** Service reports: periods, filters, figures and settings. Shared by server and client. */
import { z } from 'zod';

export const UpdateReportSettingsSchema = z
  .object({
    workspaceName: z.string().trim().min(1).max(120),
    timeZone: z.string().trim().min(1).max(64),
    surveysEnabled: z.boolean(),
    surveyDelayHours: z.number().int().min(0).max(24 * 14),
    csatScale: z.enum(['good_bad', 'five']),
  })
  .partial();
export type UpdateReportSettingsRequest = z.input<typeof UpdateReportSettingsSchema>;
export interface ReportSettingsDto {
  workspaceName: string;
  timeZone: string;
  surveysEnabled: boolean;
  surveyDelayHours: number;
  csatScale: 'good_bad' | 'five';
}
