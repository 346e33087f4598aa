import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The workspace's secret for an inbound webhook (`subscriptions`), sealed with the SecretBox. */
@Entity('webhook_secrets')
export class WebhookSecret {
  @PrimaryColumn({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  sealedSecret: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
