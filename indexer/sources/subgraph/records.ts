// The subgraph source's record types: what client.ts maps each entity to and store.ts writes.
// Amounts stay decimal strings as the subgraph sends them; addresses are lower-case.

export interface DayRecord {
  dayNumber: number;
  volumeEth: string;
  volumeUsd: string;
  totalActiveStake: string | null;
  participationRate: string | null;
  activeTranscoderCount: string | null;
}
export interface TranscoderRecord {
  address: string;
  active: boolean;
  status: string | null;
  activationRound: string | null;
  deactivationRound: string | null;
  feeShare: string | null;
  rewardCut: string | null;
  totalStake: string;
  totalVolumeEth: string;
  totalVolumeUsd: string;
  thirtyDayVolumeEth: string | null;
  ninetyDayVolumeEth: string | null;
  serviceUri: string | null;
  lastRewardRound: string | null;
}
export interface EntityDayRecord {
  id: string;
  address: string;
  date: number; // unix seconds, UTC midnight
  volumeEth: string;
  volumeUsd: string;
}
export interface BroadcasterRecord {
  address: string;
  deposit: string | null;
  reserve: string | null;
  totalVolumeEth: string;
  totalVolumeUsd: string;
  ninetyDayVolumeEth: string | null;
}
export interface TicketRecord {
  id: string;
  timestamp: number; // unix seconds
  blockNumber: number;
  round: string;
  sender: string;
  recipient: string;
  faceValueEth: string;
  faceValueUsd: string;
  winProb: string | null;
}
export interface ProtocolRecord {
  totalVolumeEth: string;
  totalVolumeUsd: string;
  winningTicketCount: number;
  currentRound: string | null;
  activeTranscoderCount: string | null;
  totalActiveStake: string | null;
  participationRate: string | null;
}
