// The fictional 青山县 (Qingshan County): its townships and streets, each with five
// villages or communities. Codes are invented, not real administrative division codes.

export interface TownshipSeed { name: string; en: string; kind: 'street' | 'town' | 'township'; villages: [string, string][] }

export const COUNTY = { name: '青山县', en: 'Qingshan County', code: 'QS' };

export const TOWNSHIPS: TownshipSeed[] = [
  { name: '青山街道', en: 'Qingshan Subdistrict', kind: 'street', villages: [['东门社区', 'Dongmen Community'], ['西门社区', 'Ximen Community'], ['南塘社区', 'Nantang Community'], ['北关社区', 'Beiguan Community'], ['文昌社区', 'Wenchang Community']] },
  { name: '城南街道', en: 'Chengnan Subdistrict', kind: 'street', villages: [['新华社区', 'Xinhua Community'], ['桂花社区', 'Guihua Community'], ['滨河社区', 'Binhe Community'], ['清泉社区', 'Qingquan Community'], ['和平社区', 'Heping Community']] },
  { name: '龙泉镇', en: 'Longquan Town', kind: 'town', villages: [['龙泉社区', 'Longquan Community'], ['石桥村', 'Shiqiao Village'], ['枫林村', 'Fenglin Village'], ['双河村', 'Shuanghe Village'], ['高坪村', 'Gaoping Village']] },
  { name: '白沙镇', en: 'Baisha Town', kind: 'town', villages: [['白沙社区', 'Baisha Community'], ['沙坪村', 'Shaping Village'], ['杨柳村', 'Yangliu Village'], ['金竹村', 'Jinzhu Village'], ['花园村', 'Huayuan Village']] },
  { name: '桃源镇', en: 'Taoyuan Town', kind: 'town', villages: [['桃源社区', 'Taoyuan Community'], ['桃花村', 'Taohua Village'], ['青溪村', 'Qingxi Village'], ['长岭村', 'Changling Village'], ['大坝村', 'Daba Village']] },
  { name: '马鞍镇', en: 'Ma’an Town', kind: 'town', villages: [['马鞍社区', 'Ma’an Community'], ['黄泥村', 'Huangni Village'], ['石门村', 'Shimen Village'], ['新庄村', 'Xinzhuang Village'], ['团结村', 'Tuanjie Village']] },
  { name: '云岭乡', en: 'Yunling Township', kind: 'township', villages: [['云岭村', 'Yunling Village'], ['松树村', 'Songshu Village'], ['茶园村', 'Chayuan Village'], ['白云村', 'Baiyun Village'], ['水井村', 'Shuijing Village']] },
  { name: '河口乡', en: 'Hekou Township', kind: 'township', villages: [['河口村', 'Hekou Village'], ['柳湾村', 'Liuwan Village'], ['渡口村', 'Dukou Village'], ['鱼塘村', 'Yutang Village'], ['三合村', 'Sanhe Village']] },
];
