import { Inject, Injectable } from '@nestjs/common';
import type { InvitationDto, InvitationPreviewDto, InviteUserRequest, SessionDto, UserDto } from '../../../contracts/api';
import { Clock } from '../common/clock';
import { ConflictError, DomainError, NotFoundError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { SystemMailer } from '../mail/outbound/system-mailer';
import type { User } from '../users/user.entity';
import { userStatus } from '../users/user.mapper';
import { UserRepository } from '../users/user.repository';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { InvitationTokens } from './invitation-token';
import { hashPassword } from './password';

/** How long a set-password link works. */
export const INVITATION_DAYS = 7;

export class InvitationInvalidError extends DomainError {
  constructor(reason: string) {
    super('invitation_invalid', reason, 410);
  }
}

/**
 * Invitations: an admin names a person, their role and teams; they get an email (from the system mailbox)
 * with a signed link that expires, and following it they choose their password and are signed in. The
 * admin always gets the link too, to pass on when no mailbox can send yet.
 */
@Injectable()
export class InvitationsService {
  private readonly tokens: InvitationTokens;

  constructor(
    private readonly users: UserRepository,
    private readonly usersService: UsersService,
    private readonly auth: AuthService,
    private readonly mailer: SystemMailer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tokens = new InvitationTokens(config.secretKey);
  }

  async invite(input: Required<InviteUserRequest>, inviter: string): Promise<InvitationDto> {
    if (await this.users.findByEmailWithPassword(input.email)) throw new ConflictError(`${input.email} is already on the team`);
    const teams = await this.usersService.requireTeams(input.teamIds);
    const user = await this.users.save({ email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash: null, invitedAt: this.clock.now(), teams });
    return this.send(user.id, inviter);
  }

  /** A new link (and email) for someone who has not set their password yet; earlier links stop working. */
  async resend(userId: string, inviter: string): Promise<InvitationDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('User');
    if (userStatus(user) !== 'invited') throw new ConflictError(`${user.email} has already set a password`);
    await this.users.save({ id: user.id, invitedAt: this.clock.now() });
    return this.send(user.id, inviter);
  }

  async preview(token: string): Promise<InvitationPreviewDto> {
    const { user, expiresAt } = await this.open(token);
    return { email: user.email, name: user.name, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Sets the invited person's password and signs them in. */
  async accept(token: string, password: string): Promise<SessionDto> {
    const { user } = await this.open(token);
    await this.users.save({ id: user.id, passwordHash: await hashPassword(password), passwordSetAt: this.clock.now() });
    return this.auth.login(user.email, password);
  }

  private async send(userId: string, inviter: string): Promise<InvitationDto> {
    const user = await this.users.findById(userId);
    if (!user?.invitedAt) throw new NotFoundError('User');
    const expiresAt = user.invitedAt.getTime() + INVITATION_DAYS * 86_400_000;
    const link = `${this.config.publicUrl}/#/welcome?token=${this.tokens.sign({ userId, invitedAt: user.invitedAt.getTime(), expiresAt })}`;
    const result = await this.mailer.send({ to: user.email, subject: `${inviter} invited you to Careloop`, text: invitationText(user, inviter, link) });
    const dto: UserDto = await this.usersService.get(userId);
    return {
      user: dto,
      link,
      expiresAt: new Date(expiresAt).toISOString(),
      emailed: result.sent,
      emailedFrom: result.sent ? result.from : null,
      emailError: result.sent ? null : result.error,
    };
  }

  private async open(token: string): Promise<{ user: User; expiresAt: number }> {
    const claim = this.tokens.verify(token);
    const user = claim ? await this.users.findById(claim.userId) : null;
    if (!claim || !user || user.invitedAt?.getTime() !== claim.invitedAt) throw new InvitationInvalidError('This invitation link is not valid (a newer one may have been sent). Ask an admin for a new one.');
    if (userStatus(user) !== 'invited') throw new InvitationInvalidError('This invitation was used already: sign in with your email and password.');
    if (claim.expiresAt <= this.clock.now().getTime()) throw new InvitationInvalidError('This invitation link has expired. Ask an admin to send a new one.');
    return { user, expiresAt: claim.expiresAt };
  }
}

function invitationText(user: User, inviter: string, link: string): string {
  return [
    `Hello ${user.name},`,
    '',
    `${inviter} invited you to work in Careloop, the team's shared inbox.`,
    '',
    'Choose your password here (the link works for 7 days):',
    link,
    '',
    `Afterwards you sign in with ${user.email}.`,
  ].join('\n');
}
