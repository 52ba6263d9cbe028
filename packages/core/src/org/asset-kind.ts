import { z } from 'zod';

export const ASSET_KINDS = {
  pc: { zh: '计算机', en: 'PC' },
  server: { zh: '服务器', en: 'Server' },
  hpc_node: { zh: '超算节点', en: 'HPC node' },
  gpu_node: { zh: 'GPU 节点', en: 'GPU node' },
  network: { zh: '网络设备', en: 'Network device' },
  mining_rig: { zh: '矿机', en: 'Mining rig' },
  other: { zh: '其他', en: 'Other' },
} as const;
export type AssetKind = keyof typeof ASSET_KINDS;
export const assetKindSchema = z.enum(Object.keys(ASSET_KINDS) as [AssetKind, ...AssetKind[]]);

/** Kinds that are "networked computers" in the notice's measure 4: each needs a named responsible person. */
export const NETWORKED_COMPUTER_KINDS: readonly AssetKind[] = ['pc', 'server', 'hpc_node', 'gpu_node'];

export function needsResponsiblePerson(kind: AssetKind): boolean {
  return NETWORKED_COMPUTER_KINDS.includes(kind);
}

export function parseAssetKind(text: string): AssetKind | undefined {
  const t = text.trim().toLowerCase();
  for (const [code, label] of Object.entries(ASSET_KINDS)) {
    if (t === code || t === label.zh.toLowerCase() || t === label.en.toLowerCase()) return code as AssetKind;
  }
  return undefined;
}
