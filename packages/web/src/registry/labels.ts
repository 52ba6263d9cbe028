import { ROOM_TYPES, type RoomType } from '@core/org/room-type.js';
import { ASSET_KINDS, type AssetKind } from '@core/org/asset-kind.js';
import type { Language } from '../i18n/i18n.js';

/** Room types and asset kinds carry their own zh/en labels in core; pick by the UI language. */
export function roomTypeLabel(type: RoomType, lang: Language): string {
  return lang === 'zh-CN' ? ROOM_TYPES[type].zh : ROOM_TYPES[type].en;
}

export function assetKindLabel(kind: AssetKind, lang: Language): string {
  return lang === 'zh-CN' ? ASSET_KINDS[kind].zh : ASSET_KINDS[kind].en;
}

export function roomTypeOptions(lang: Language) {
  return (Object.keys(ROOM_TYPES) as RoomType[]).map((value) => ({ value, label: roomTypeLabel(value, lang) }));
}

export function assetKindOptions(lang: Language) {
  return (Object.keys(ASSET_KINDS) as AssetKind[]).map((value) => ({ value, label: assetKindLabel(value, lang) }));
}
