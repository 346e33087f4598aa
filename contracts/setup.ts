/** The first-run checklist: what a new workspace still needs before a team can work in it. */
export const SETUP_STEPS = ['mailbox', 'team', 'hours', 'macro', 'journey'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export interface SetupChecklistDto {
  /** Every step, in the order a person does them, each ticked once the workspace shows it done. */
  steps: { step: SetupStep; done: boolean }[];
}
