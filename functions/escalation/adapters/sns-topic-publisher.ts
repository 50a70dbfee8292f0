import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { TopicPublisher } from '../types/ports';

/** {@link TopicPublisher} over SNS `Publish` (email and SMS subscriptions of a channel's topic). */
export class SnsTopicPublisher implements TopicPublisher {
  public constructor(private readonly client: SNSClient) {}

  public async publish(topicArn: string, subject: string, message: string): Promise<void> {
    await this.client.send(
      new PublishCommand({ TopicArn: topicArn, Subject: subject.slice(0, 100), Message: message }),
    );
  }
}
