import type { UserStatus } from '../../../../contracts/api';
import type { Availability, Role } from '../../../../contracts/domain';

export const ROLE_LABELS: Record<Role, string> = { agent: 'Agent', lead: 'Lead', care_owner: 'Care owner', admin: 'Admin' };
export const AVAILABILITY_LABELS: Record<Availability, string> = { available: 'Available', away: 'Away', offline: 'Offline' };
export const STATUS_LABELS: Record<UserStatus, string> = { invited: 'Invited', active: 'Active', deactivated: 'Deactivated' };
