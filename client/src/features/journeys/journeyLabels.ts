import { templateParts, type ExitGoal, type JourneyStep, type JourneyTrigger, type JourneyTriggerType, type JourneyWait } from '../../../../contracts/journeys';

export const TRIGGER_LABELS: Record<JourneyTriggerType, string> = {
  first_cycle_ticket: 'A first-cycle subscriber opens a ticket',
  ticket_tagged: 'A ticket is tagged',
  subscription_day: 'Subscription day N',
  before_renewal: 'N days before renewal',
  after_cancellation: 'N days after cancellation',
  skipped_cycles: 'Skipped K cycles in a row',
  low_satisfaction: 'A low satisfaction answer',
  nps_detractor: 'A detractor’s NPS answer (0–6)',
};

export const STEP_TYPE_LABELS: Record<JourneyStep['type'], string> = {
  email: 'email',
  wait: 'wait',
  branch: 'branch',
  task: 'task',
  tag: 'tag',
  nps_survey: 'NPS survey',
};

export const GOAL_LABELS: Record<ExitGoal, string> = {
  replied: 'The customer replied',
  reactivated: 'The subscription was reactivated',
  cancelled: 'The subscription was cancelled',
  renewed: 'The subscription renewed',
};

export function describeTrigger(trigger: JourneyTrigger): string {
  switch (trigger.type) {
    case 'first_cycle_ticket':
      return TRIGGER_LABELS.first_cycle_ticket;
    case 'ticket_tagged':
      return `A ticket is tagged “${trigger.tag}”`;
    case 'subscription_day':
      return `Day ${trigger.days} of the subscription`;
    case 'before_renewal':
      return `${trigger.days} days before each renewal`;
    case 'after_cancellation':
      return `${trigger.days} days after a cancellation`;
    case 'skipped_cycles':
      return `Skipped ${trigger.count} cycles in a row`;
    case 'low_satisfaction':
      return `A satisfaction answer of ${trigger.maxScore} or less`;
    case 'nps_detractor':
      return TRIGGER_LABELS.nps_detractor;
  }
}

const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function describeWait(wait: JourneyWait): string {
  if (wait.mode === 'duration') {
    const parts = [wait.days && `${wait.days} d`, wait.hours && `${wait.hours} h`, wait.minutes && `${wait.minutes} min`].filter(Boolean);
    return `Wait ${parts.join(' ') || 'no time'}`;
  }
  if (wait.mode === 'before_renewal') return `Wait until ${wait.days} days before the renewal`;
  return `Wait until ${wait.weekdays.map((day) => WEEKDAY_NAMES[day]).join(', ')} ${wait.fromHour}:00–${wait.toHour}:00`;
}

/** A template in one line, fields by name: "Hi ‹First name (or “there”)›". */
function inWords(template: string): string {
  return templateParts(template)
    .map((part) => (part.kind === 'text' ? part.text : `‹${part.label}›`))
    .join('')
    .replace(/\s+/g, ' ');
}

export function describeStep(step: JourneyStep): string {
  switch (step.type) {
    case 'email':
      return `Email: ${inWords(step.subject)}${step.marketing ? ' (marketing)' : ''}`;
    case 'wait':
      return describeWait(step.wait);
    case 'branch':
      return `If ${step.condition.field.replace(/_/g, ' ')} ${step.condition.op} ${String(step.condition.value)} → ${step.ifTrue}, else → ${step.ifFalse}`;
    case 'task':
      return `Task: ${inWords(step.title)}`;
    case 'tag':
      return `Tag “${step.tag}”`;
    case 'nps_survey':
      return 'Ask for NPS: “How likely are you to recommend us, 0–10?”';
  }
}

