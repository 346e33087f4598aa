import type { CreateJourneyRequest } from '../../../contracts/journeys';

export interface JourneyPreset {
  key: string;
  journey: CreateJourneyRequest;
}

const SIGN_OFF = '\n\n{{ sender.name }}';

function checkIn(days: number, intro: string): JourneyPreset {
  return {
    key: `day_${days}_check_in`,
    journey: {
      name: `Day ${days} check-in`,
      description: `A personal note ${days} days into the subscription.`,
      trigger: { type: 'subscription_day', days },
      steps: [
        {
          id: 'check_in',
          type: 'email',
          subject: `${intro}, {{ customer.first_name | default: 'there' }}`,
          body: `Hi {{ customer.first_name | default: 'there' }},\n\nYou have been with us for ${days} days now. How is {{ customer.plan | default: 'your subscription' }} working out for you? If anything could be better — the amount, the rhythm, the choice — just reply to this email and we will sort it out.${SIGN_OFF}`,
          marketing: true,
        },
      ],
      exitGoals: ['cancelled'],
    },
  };
}

/** Journeys shipped ready to switch on; care owners may edit them like any other. */
export const JOURNEY_PRESETS: JourneyPreset[] = [
  {
    key: 'cycle_1_recovery',
    journey: {
      name: 'Cycle-1 recovery',
      description: 'A first-cycle customer wrote in: apologise at once, have an agent confirm a replacement or credit note, check in a week later, and make a save offer before the next renewal.',
      trigger: { type: 'first_cycle_ticket' },
      steps: [
        {
          id: 'apology',
          type: 'email',
          subject: 'Re: {{ ticket.subject }}',
          body: "Hi {{ customer.first_name | default: 'there' }},\n\nThank you for telling us, and we are sorry your first delivery was not what it should have been. Someone from our care team is looking at it now and will confirm a replacement or a credit note for you shortly.\n\nIf there is anything else we should know, simply reply to this email." + SIGN_OFF,
          marketing: false,
        },
        {
          id: 'confirm_remedy',
          type: 'task',
          title: 'Confirm a replacement or credit note for {{ customer.name | default: customer.email }}',
          body: 'First-cycle customer {{ customer.email }} wrote in (ticket #{{ ticket.number }}: {{ ticket.subject }}). They received an apology; decide on a replacement or a credit note and confirm it to them on that ticket.',
          assigneeId: null,
        },
        { id: 'wait_a_week', type: 'wait', wait: { mode: 'duration', days: 7, hours: 0, minutes: 0 } },
        {
          id: 'check_in',
          type: 'email',
          subject: 'Is everything right now, {{ customer.first_name | default: "there" }}?',
          body: "Hi {{ customer.first_name | default: 'there' }},\n\nA week ago something went wrong with your first delivery. We hope it is all put right now — if not, reply to this email and we will fix it." + SIGN_OFF,
          marketing: false,
        },
        { id: 'until_before_renewal', type: 'wait', wait: { mode: 'before_renewal', days: 3 } },
        {
          id: 'save_offer',
          type: 'email',
          subject: 'Something for your next delivery',
          body: "Hi {{ customer.first_name | default: 'there' }},\n\nYour next delivery is on its way soon, and we would like it to make up for the first one: it comes with 20% off. Want to change anything before it ships?{% if links.adjust %}\n\nAdjust your subscription: {{ links.adjust }}{% endif %}{% if links.skip %}\nSkip this delivery: {{ links.skip }}{% endif %}" + SIGN_OFF,
          marketing: true,
        },
      ],
      exitGoals: ['cancelled'],
    },
  },
  checkIn(30, 'One month in'),
  checkIn(90, 'Three months together'),
  checkIn(180, 'Half a year of good coffee'),
  {
    key: 'day_90_nps',
    journey: {
      name: 'Day-90 NPS',
      description: 'Ninety days in, ask how likely they are to recommend us (0–10), with room for a comment. The answers make the NPS on the care dashboard.',
      trigger: { type: 'subscription_day', days: 90 },
      steps: [{ id: 'ask_nps', type: 'nps_survey' }],
      exitGoals: ['cancelled'],
    },
  },
  {
    key: 'nps_detractor_call_back',
    journey: {
      name: 'Detractor call-back',
      description: 'Someone answered the NPS survey with 6 or less: open a ticket for the care team to call them back and find out why.',
      trigger: { type: 'nps_detractor' },
      steps: [
        {
          id: 'call_back',
          type: 'task',
          title: 'Call back {{ customer.name | default: customer.email }}: unhappy in the NPS survey',
          body: '{{ customer.email }} would not recommend us (NPS answer of 6 or less). Get in touch within two working days, find out what went wrong and note it here.',
          assigneeId: null,
        },
      ],
      exitGoals: [],
    },
  },
  {
    key: 'pre_renewal_reminder',
    journey: {
      name: 'Pre-renewal reminder',
      description: 'Three days before each renewal: what is coming, with links to skip or adjust it.',
      trigger: { type: 'before_renewal', days: 3 },
      steps: [
        {
          id: 'reminder',
          type: 'email',
          subject: 'Your next delivery ships on {{ customer.next_renewal | date: "%B %-d" }}',
          body: "Hi {{ customer.first_name | default: 'there' }},\n\nYour next {{ customer.plan | default: 'delivery' }} ships on {{ customer.next_renewal | date: '%A, %B %-d' }}.{% if links.skip %}\n\nNeed a break? Skip it: {{ links.skip }}{% endif %}{% if links.adjust %}\nChange amount or rhythm: {{ links.adjust }}{% endif %}" + SIGN_OFF,
          marketing: false,
        },
      ],
      exitGoals: [],
    },
  },
  {
    key: 'win_back',
    journey: {
      name: 'Win-back',
      description: 'Fourteen days after a cancellation, an invitation to come back.',
      trigger: { type: 'after_cancellation', days: 14 },
      steps: [
        {
          id: 'win_back',
          type: 'email',
          subject: 'We miss you, {{ customer.first_name | default: "friend" }}',
          body: "Hi {{ customer.first_name | default: 'there' }},\n\nIt has been two weeks since you left us. If you would like to come back, your first box is on us — and if something made you leave, reply and tell us; we read every answer." + SIGN_OFF,
          marketing: true,
        },
      ],
      exitGoals: ['reactivated'],
    },
  },
  {
    key: 'skip_twice_offer',
    journey: {
      name: 'Skipped twice: frequency offer',
      description: 'A customer skipped two deliveries in a row: offer a rhythm that fits better.',
      trigger: { type: 'skipped_cycles', count: 2 },
      steps: [
        {
          id: 'frequency_offer',
          type: 'email',
          subject: 'Would a different rhythm suit you better?',
          body: "Hi {{ customer.first_name | default: 'there' }},\n\nWe noticed you skipped your last two deliveries. Would every six or eight weeks suit you better? You can change it in a click{% if links.adjust %}: {{ links.adjust }}{% else %}, or just reply to this email{% endif %}." + SIGN_OFF,
          marketing: true,
        },
      ],
      exitGoals: ['cancelled'],
    },
  },
];
