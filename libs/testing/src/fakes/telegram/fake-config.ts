import { Api } from 'telegram';
import { now } from './update-log';

/** help.getConfig: the DCs this fake serves (port 443, which clients redirect), plausible limits. */
export function fakeConfig(dcId: number, dcAddresses: Map<number, string>): Api.Config {
  const date = now();
  return new Api.Config({
    date,
    expires: date + 3600,
    testMode: false,
    thisDc: dcId,
    dcOptions: [...dcAddresses].map(([id, ipAddress]) => new Api.DcOption({ id, ipAddress, port: 443 })),
    dcTxtDomainName: 'fake.invalid',
    chatSizeMax: 200,
    megagroupSizeMax: 200_000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210_000,
    offlineBlurTimeoutMs: 5_000,
    offlineIdleTimeoutMs: 30_000,
    onlineCloudTimeoutMs: 300_000,
    notifyCloudDelayMs: 30_000,
    notifyDefaultDelayMs: 1_500,
    pushChatPeriodMs: 60_000,
    pushChatLimit: 2,
    editTimeLimit: 172_800,
    revokeTimeLimit: 2_147_483_647,
    revokePmTimeLimit: 2_147_483_647,
    ratingEDecay: 2_419_200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604_800,
    callReceiveTimeoutMs: 20_000,
    callRingTimeoutMs: 90_000,
    callConnectTimeoutMs: 30_000,
    callPacketTimeoutMs: 10_000,
    meUrlPrefix: 'https://t.me/',
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: 4,
  });
}
