import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { OutboundMailService } from '../mail/outbound/outbound-mail.service';
import { AssignmentService, RULE_ACTOR } from './assignment.service';
import { AUTO_REPLY_QUEUE, RoutingEngine, type AutoReplyJob } from './routing-engine.service';

export const ROUTING_PASS_QUEUE = 'routing.pass';

/**
 * Drives routing from the durable job queue: once a minute (across every instance) a pass fires the
 * time-based rules that are due and drains team queues that an event may have missed; automatic replies
 * queued by rules are sent by jobs, so they survive a restart.
 */
@Injectable()
export class RoutingScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly engine: RoutingEngine,
    private readonly assignment: AssignmentService,
    private readonly outbound: OutboundMailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A failed pass is not retried: the next minute's pass picks up whatever is still due.
    await this.jobs.register(ROUTING_PASS_QUEUE, { retryLimit: 0 }, () => this.runPass());
    await this.jobs.schedule(ROUTING_PASS_QUEUE, '* * * * *');
    await this.jobs.register<AutoReplyJob>(AUTO_REPLY_QUEUE, { retryLimit: 5 }, async ({ ticketId, body, fromName }) => {
      await this.outbound.sendAutomatic(ticketId, body, RULE_ACTOR, fromName);
    });
  }

  async runPass(): Promise<void> {
    await this.engine.runTimeRules();
    await this.assignment.drainAll();
  }
}
