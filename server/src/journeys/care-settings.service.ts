import { Injectable } from '@nestjs/common';
import type { CareSettingsDto, UpdateCareSettingsRequest } from '../../../contracts/journeys';
import { InvalidFieldError } from '../common/errors';
import { OutboxService } from '../outbox/outbox.service';
import { CareSettings } from './care-settings.entity';
import { JourneyRepository, SETTINGS_ID } from './journey.repository';

/** Care settings with their defaults: 3 emails a week, quiet from 21:00 to 08:00, UTC. */
@Injectable()
export class CareSettingsService {
  constructor(
    private readonly journeys: JourneyRepository,
    private readonly outbox: OutboxService,
  ) {}

  async get(): Promise<CareSettings> {
    const stored = await this.journeys.findSettings();
    if (stored) return stored;
    return Object.assign(new CareSettings(), {
      id: SETTINGS_ID,
      weeklyEmailCap: 3,
      quietHoursStart: 21,
      quietHoursEnd: 8,
      defaultTimeZone: 'UTC',
      manageSubscriptionUrl: null,
    });
  }

  async update(input: UpdateCareSettingsRequest): Promise<CareSettingsDto> {
    const settings = Object.assign(await this.get(), input);
    if ((settings.quietHoursStart === null) !== (settings.quietHoursEnd === null)) {
      throw new InvalidFieldError('quietHoursEnd', 'set both ends of the quiet hours, or neither to turn them off');
    }
    // Announced (settings.updated) so other open sessions show the new settings without a reload.
    await this.outbox.transaction(async (manager, raise) => {
      await this.journeys.saveSettings(settings, manager);
      raise({ name: 'settings.updated', payload: { scope: 'care' } });
    });
    return toCareSettingsDto(settings);
  }
}

export function toCareSettingsDto(settings: CareSettings): CareSettingsDto {
  const { weeklyEmailCap, quietHoursStart, quietHoursEnd, defaultTimeZone, manageSubscriptionUrl } = settings;
  return { weeklyEmailCap, quietHoursStart, quietHoursEnd, defaultTimeZone, manageSubscriptionUrl };
}
