/** Content for the demo workspace: a subscription coffee business and the tickets it typically gets. */
export const DEMO_TEAMS = [
  { name: 'Support', isPrivate: false },
  { name: 'Billing', isPrivate: false },
];

export const DEMO_AGENTS = [
  { email: 'lena@careloop.local', name: 'Lena Lead', role: 'lead', teams: ['Support', 'Billing'] },
  { email: 'alex@careloop.local', name: 'Alex Agent', role: 'agent', teams: ['Support'] },
  { email: 'sam@careloop.local', name: 'Sam Agent', role: 'agent', teams: ['Billing'] },
  { email: 'carla@careloop.local', name: 'Carla Care', role: 'care_owner', teams: ['Support'] },
] as const;

export const DEMO_TAGS = [
  { name: 'delivery', color: '#2563eb', description: 'Where is my box, late or lost parcels' },
  { name: 'damaged', color: '#dc2626', description: 'Box or beans arrived damaged' },
  { name: 'skip', color: '#16a34a', description: 'Skip or reschedule a delivery' },
  { name: 'billing', color: '#9333ea', description: 'Charges, invoices, payment methods' },
  { name: 'refund', color: '#ea580c', description: 'Refund requests' },
  { name: 'cancellation', color: '#4b5563', description: 'Wants to cancel' },
  { name: 'address-change', color: '#0891b2', description: 'Change of delivery address' },
  { name: 'grind-size', color: '#a16207', description: 'Wrong grind or wants another grind' },
];

export const DEMO_FIRST_NAMES = ['Maya', 'Jonas', 'Priya', 'Tom', 'Aiko', 'Lucas', 'Fatima', 'Noah', 'Elena', 'Omar', 'Grace', 'Mateo', 'Zoe', 'Ivan', 'Nadia', 'Ben', 'Chloe', 'Ravi', 'Sara', 'Leo'];
export const DEMO_LAST_NAMES = ['Fischer', 'Okafor', 'Sharma', 'Nguyen', 'Tanaka', 'Silva', 'Haddad', 'Brown', 'Rossi', 'Khan'];

export interface DemoConversation {
  subject: string;
  tags: string[];
  team: 'Support' | 'Billing';
  /** Alternating customer and agent turns, starting with the customer. */
  turns: string[];
  note?: string;
}

export const DEMO_CONVERSATIONS: DemoConversation[] = [
  {
    subject: 'Where is my box?',
    tags: ['delivery'],
    team: 'Support',
    turns: [
      "Hi, my coffee box was supposed to arrive on Tuesday and it still hasn't come. The tracking page hasn't changed in three days. Can you check?",
      'Sorry about the wait! The carrier shows a delay at their depot; it should reach you within two days. I will keep an eye on it.',
      'Thanks, it arrived this morning.',
    ],
  },
  {
    subject: 'Beans arrived in a torn bag',
    tags: ['damaged'],
    team: 'Support',
    turns: ['The bag of Ethiopia Guji was torn when the box arrived and half the beans were loose in the box. Photo attached in spirit. Can you send a new one?'],
    note: 'Second damaged bag from this carrier this week.',
  },
  {
    subject: 'Please skip my next delivery',
    tags: ['skip'],
    team: 'Support',
    turns: ["I'm travelling for three weeks, could you skip the next box? I couldn't find how to do it in my account.", 'Done, your next box is skipped. You can also skip from Account → Deliveries → Skip.'],
  },
  {
    subject: 'Charged twice this month',
    tags: ['billing', 'refund'],
    team: 'Billing',
    turns: ['My card statement shows two charges of €24.90 on the 3rd. I only have one subscription.', 'You are right, a payment retry went through twice. I have refunded the second charge; it takes 3–5 days to show.'],
  },
  {
    subject: 'How do I cancel?',
    tags: ['cancellation'],
    team: 'Billing',
    turns: ["I'd like to cancel my subscription. The coffee is great but it's too much for me alone."],
    note: 'Offer the every-other-month plan before cancelling.',
  },
  {
    subject: 'New address from next month',
    tags: ['address-change'],
    team: 'Support',
    turns: ['We are moving on the 28th. Please send boxes to Lindenstraße 12, 10969 Berlin from then on.', 'Updated — boxes from the 28th go to the new address.'],
  },
  {
    subject: 'Wrong grind again',
    tags: ['grind-size', 'damaged'],
    team: 'Support',
    turns: ['I asked for whole beans but got espresso grind for the second time. My grinder is useless with this.', 'Apologies! I have corrected the setting on your plan and a whole-bean replacement is on its way.'],
  },
  {
    subject: 'Payment failed?',
    tags: ['billing'],
    team: 'Billing',
    turns: ['I got an email saying my payment failed but my card is fine. What happened?'],
  },
  {
    subject: 'Skip button not working',
    tags: ['skip'],
    team: 'Support',
    turns: ['When I click skip on the deliveries page nothing happens. Tried Chrome and Safari.', 'Thanks for reporting — I skipped it for you and passed the bug to our developers.', 'Great, thank you.'],
  },
  {
    subject: 'Refund for a box I never received',
    tags: ['delivery', 'refund'],
    team: 'Billing',
    turns: ['The tracking says delivered but there was nothing at my door or with neighbours. I would like a refund or a new box.'],
  },
];
