// Email through SNS, not SES: one email topic, and each user who turns email on gets an email subscription to it
// whose filter policy takes only messages carrying their `recipient` attribute. Why SNS: everything Brigade tells
// a person goes through SNS (one service to operate, one place to audit), and SNS email needs no verified sender
// domain. The cost: plain-text mail from AWS's sender, and the recipient must confirm the subscription once
// (AWS emails them a link); until then the settings say `pending-confirmation` and nothing is delivered.
import { GetSubscriptionAttributesCommand, PublishCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { snsClient } from '#shared/clients/sns';
import { logger } from '#shared/logger';
import { config } from './config';
import { emailSubject } from './routing';
import type { Delivery, EmailSubscription } from './schemas';

const PENDING = 'pending confirmation';
export type EmailStatus = 'off' | 'pending-confirmation' | 'confirmed' | 'unknown';

export async function subscribeEmail(userId: string, address: string): Promise<EmailSubscription> {
  const result = await snsClient().send(
    new SubscribeCommand({
      TopicArn: config.EMAIL_TOPIC_ARN,
      Protocol: 'email',
      Endpoint: address,
      ReturnSubscriptionArn: true,
      Attributes: { FilterPolicyScope: 'MessageAttributes', FilterPolicy: JSON.stringify({ recipient: [userId] }) },
    }),
  );
  return { address, subscriptionArn: result.SubscriptionArn ?? PENDING };
}

export async function unsubscribeEmail(subscription: EmailSubscription): Promise<void> {
  // A subscription still pending has no ARN to unsubscribe; AWS drops unconfirmed ones after three days.
  if (!subscription.subscriptionArn.startsWith('arn:')) return;
  await snsClient()
    .send(new UnsubscribeCommand({ SubscriptionArn: subscription.subscriptionArn }))
    .catch((error: unknown) => {
      if ((error as Error).name !== 'NotFoundException' && (error as Error).name !== 'NotFound') throw error;
    });
}

export async function emailStatus(subscription: EmailSubscription | undefined): Promise<EmailStatus> {
  if (!subscription) return 'off';
  if (!subscription.subscriptionArn.startsWith('arn:')) return 'pending-confirmation';
  try {
    const { Attributes } = await snsClient().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription.subscriptionArn }));
    return Attributes?.PendingConfirmation === 'true' ? 'pending-confirmation' : 'confirmed';
  } catch (error) {
    logger.warn('email subscription status unavailable', { error: error as Error });
    return 'unknown';
  }
}

export async function sendEmail(input: { userId: string; subject: string; text: string; now: number }): Promise<Delivery> {
  const at = new Date(input.now).toISOString();
  try {
    await snsClient().send(
      new PublishCommand({
        TopicArn: config.EMAIL_TOPIC_ARN,
        Subject: emailSubject(input.subject),
        Message: input.text,
        MessageAttributes: { recipient: { DataType: 'String', StringValue: input.userId } },
      }),
    );
    return { status: 'sent', at };
  } catch (error) {
    logger.error('email publish failed', { error: error as Error });
    return { status: 'failed', reason: (error as Error).name || 'publish-failed', at };
  }
}
