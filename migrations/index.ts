import { Initial1795301248449 } from './1795301248449-Initial';
import { JobQueue1795302000000 } from './1795302000000-JobQueue';
import { Mail1795302010287 } from './1795302010287-Mail';
import { Sla1795302102475 } from './1795302102475-Sla';
import { RealtimeEvents1795306400000 } from './1795306400000-RealtimeEvents';
import { Routing1795303873785 } from './1795303873785-Routing';
import { TagsToCare1795303918597 } from './1795303918597-TagsToCare';
import { SavedViews1795304223353 } from './1795304223353-SavedViews';
import { Journeys1795304615823 } from './1795304615823-Journeys';
import { InboxViewIndexes1795308041127 } from './1795308041127-InboxViewIndexes';
import { SearchRecencyIndex1795308602827 } from './1795308602827-SearchRecencyIndex';
import { DomainEventOutbox1795310000000 } from './1795310000000-DomainEventOutbox';
import { TimelineSequence1795315127887 } from './1795315127887-TimelineSequence';
import { OutboxLease1795316000000 } from './1795316000000-OutboxLease';
import { ListenerDeliveries1795320000000 } from './1795320000000-ListenerDeliveries';
import { TicketAccessInRealtime1795321000000 } from './1795321000000-TicketAccessInRealtime';
import { MailIntegrity1795322000000 } from './1795322000000-MailIntegrity';
import { MailboxOAuth1795323000000 } from './1795323000000-MailboxOAuth';
import { Surveys1795324000000 } from './1795324000000-Surveys';
import { ReportRollups1795324100000 } from './1795324100000-ReportRollups';
import { TeamAndNotifications1795325000000 } from './1795325000000-TeamAndNotifications';
import { SubscriptionTimeOrder1795326000000 } from './1795326000000-SubscriptionTimeOrder';
import { JourneyHoldout1795326100000 } from './1795326100000-JourneyHoldout';
import { MessageSearchPerStatement1795327000000 } from './1795327000000-MessageSearchPerStatement';
import { ReportCoveringIndexes1795328200000 } from './1795328200000-ReportCoveringIndexes';
import { ReportRowFilters1795328210000 } from './1795328210000-ReportRowFilters';

/** Every migration in order; imported explicitly so the same list works from TypeScript and from the build. */
export const MIGRATIONS = [Initial1795301248449, JobQueue1795302000000, Mail1795302010287, Sla1795302102475, RealtimeEvents1795306400000, Routing1795303873785, TagsToCare1795303918597, SavedViews1795304223353, Journeys1795304615823, InboxViewIndexes1795308041127, SearchRecencyIndex1795308602827, DomainEventOutbox1795310000000, TimelineSequence1795315127887, OutboxLease1795316000000, ListenerDeliveries1795320000000, TicketAccessInRealtime1795321000000, MailIntegrity1795322000000, MailboxOAuth1795323000000, Surveys1795324000000, ReportRollups1795324100000, TeamAndNotifications1795325000000, SubscriptionTimeOrder1795326000000, JourneyHoldout1795326100000, MessageSearchPerStatement1795327000000, ReportCoveringIndexes1795328200000, ReportRowFilters1795328210000];
