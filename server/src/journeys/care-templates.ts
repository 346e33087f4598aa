import { Liquid, type Template } from 'liquidjs';
import type { JourneyStep } from '../../../contracts/journeys';
import type { Customer } from '../customers/customer.entity';
import { InvalidFieldError } from '../common/errors';

export interface TemplateScope {
  customer: Pick<Customer, 'email' | 'name' | 'plan' | 'currentCycle' | 'nextRenewalAt' | 'lifetimeValue' | 'subscriptionStatus' | 'skippedCycles'>;
  ticket: { number: number; subject: string } | null;
  links: { unsubscribe: string; skip: string | null; adjust: string | null };
  sender: { name: string };
}

/** Parsed templates are kept: a journey sends the same few templates to thousands of customers. */
const CACHE_LIMIT = 500;

/** Liquid templates for care emails and tasks; variables are plain data, so a template cannot reach code. */
export class CareTemplates {
  private readonly liquid = new Liquid({ strictFilters: true, ownPropertyOnly: true });
  private readonly parsed = new Map<string, Template[]>();

  render(template: string, scope: TemplateScope): string {
    const { customer } = scope;
    return this.liquid.renderSync(this.parse(template), {
      customer: {
        email: customer.email,
        name: customer.name ?? '',
        first_name: customer.name?.split(/\s+/)[0] ?? '',
        plan: customer.plan ?? '',
        cycle: customer.currentCycle,
        next_renewal: customer.nextRenewalAt,
        lifetime_value: Number(customer.lifetimeValue),
        status: customer.subscriptionStatus,
        skipped_cycles: customer.skippedCycles,
      },
      ticket: scope.ticket,
      links: scope.links,
      sender: scope.sender,
    }) as string;
  }

  /** Refuses a journey whose templates do not parse, naming the step and field. */
  check(steps: JourneyStep[]): void {
    steps.forEach((step, index) => {
      const fields: Record<string, string> = step.type === 'email' ? { subject: step.subject, body: step.body } : step.type === 'task' ? { title: step.title, body: step.body } : {};
      for (const [field, template] of Object.entries(fields)) {
        try {
          this.parse(template);
        } catch (error) {
          throw new InvalidFieldError(`steps.${index}.${field}`, `is not a valid Liquid template: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    });
  }

  private parse(template: string): Template[] {
    const cached = this.parsed.get(template);
    if (cached) return cached;
    const parsed = this.liquid.parse(template);
    if (this.parsed.size >= CACHE_LIMIT) this.parsed.clear();
    this.parsed.set(template, parsed);
    return parsed;
  }
}
