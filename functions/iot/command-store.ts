// The command audit in the iot table (table.ts has the whole layout):
//   SITE#{site}#DEVICE#{device} / C#{at}#{id}  a command and its result: who, what, when, accepted or why not
// In the device's series partition next to its readings, sorted by time; listed newest first.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryPage } from '#shared/dynamodb';
import type { CommandRecord } from './schemas';
import { seriesPk, strip } from './table';

export class CommandStore {
  constructor(private readonly table: string) {}

  async putCommand(command: CommandRecord): Promise<void> {
    await dynamoDb().send(
      new PutCommand({ TableName: this.table, Item: { pk: seriesPk(command.siteId, command.deviceId), sk: `C#${command.at}#${command.commandId}`, ...command } }),
    );
  }

  /** A page of the device's commands, newest first; the cursor is valid for the same device only. */
  async listCommands(siteId: string, deviceId: string, page: { limit: number; cursor?: string }) {
    const { items, nextCursor } = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': seriesPk(siteId, deviceId), ':prefix': 'C#' },
        ScanIndexForward: false,
        Limit: page.limit,
      },
      page.cursor,
    );
    return { commands: items.map((item) => strip<CommandRecord>(item)), nextCursor };
  }
}
