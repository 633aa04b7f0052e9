/**
 * A synthetic but realistic bilingual knowledge base for the search
 * benchmark: articles in Chinese (60 %) and English (40 %), each a title
 * and the three sections the completeness rule asks for, drawn from a
 * vocabulary whose term frequencies follow Zipf's law (rank r drawn with
 * probability ∝ 1/r), as words in real text do. The head of each
 * vocabulary is real IT-support words (so the benchmark's queries hit
 * common terms: "vpn", "printer", "网络", "连接", "断开"); the long tail is
 * error codes, KB numbers and two-character Chinese words, so rare terms
 * are as rare as they are in a real knowledge base. Deterministic: the
 * same seed gives the same articles, whatever the corpus size, so the
 * first 1 000 articles of the 100 k corpus are the 1 k corpus.
 * @module
 */
import type { ArticleContent } from '#shared/domain/knowledge/article.js';

const ENGLISH_HEAD = `vpn printer offline password email outlook login account network server error connection disconnects every five minutes
update install driver laptop wifi teams excel license monitor keyboard sso certificate firewall proxy dns timeout access denied shared drive
folder backup restore sync calendar meeting audio video headset camera mobile phone browser chrome page slow crash reboot restart memory disk
space full locked reset expired mfa token citrix sharepoint onedrive azure group policy permission admin rights client version patch windows
macos linux ssh rdp remote desktop session blue screen bsod ticket request approval queue mailbox quota attachment sender spam phishing badge
door scanner toner paper jam database replication latency packet loss switch router port cable dock usb bluetooth display resolution font
signature archive encryption bitlocker antivirus malware quarantine upgrade rollback migration tenant domain controller gpo script schedule
task service agent portal catalog laptop-loan onboarding offboarding contract vendor invoice erp sap crm salesforce jira confluence zoom webex`
  .split(/\s+/)
  .filter(Boolean);

const CHINESE_HEAD = `网络 连接 断开 打印机 邮件 密码 账号 登录 服务器 磁盘 备份 数据库 系统 用户 无法 错误 配置 重启 更新 安装 软件 硬件 电脑 显示器
键盘 鼠标 权限 文件 共享 访问 超时 失败 驱动 证书 防火墙 代理 域名 地址 端口 应用 客户端 浏览器 页面 加载 缓慢 卡顿 蓝屏 内存 硬盘 空间 不足
同步 日历 会议 视频 音频 耳机 摄像头 手机 无线 信号 交换机 路由器 认证 验证码 锁定 解锁 重置 过期 提示 报错 请求 审批 流程 工单 报表 导出 导入
打印 扫描 复印 传真 电话 分机 虚拟机 存储 集群 节点 监控 告警 日志 补丁 升级 版本 许可 激活 部署 迁移 恢复 故障 检查 设置 分钟 每次 自动 手动`
  .split(/\s+/)
  .filter(Boolean);

/** Common Han characters the long tail of Chinese words is made of. */
const HAN =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研';

/** Distinct words per language: 20 k each, the head first. */
const VOCABULARY_SIZE = 20_000;

/** A seeded generator of integers in [0, n) (a 32-bit mulberry32: fast, deterministic, well spread). */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

function vocabulary(head: readonly string[], tail: (rank: number) => string): string[] {
  const words = [...new Set(head)];
  const seen = new Set(words);
  for (let rank = 0; words.length < VOCABULARY_SIZE; rank++) {
    const word = tail(rank);
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

const hanChars = [...new Set(HAN)];
export const ENGLISH = vocabulary(ENGLISH_HEAD, (rank) =>
  rank % 2 === 0 ? `0x8007${((rank * 2_654_435_761) >>> 16).toString(16).padStart(4, '0')}` : `kb${5_000_000 + rank * 37}`,
);
export const CHINESE = vocabulary(CHINESE_HEAD, (rank) => {
  const a = hanChars[(rank * 7) % hanChars.length] as string;
  const b = hanChars[(Math.floor(rank / hanChars.length) * 13 + rank * 3 + 1) % hanChars.length] as string;
  return `${a}${b}`;
});

/** Cumulative Zipf (s = 1) weights over a vocabulary's ranks, for drawing by binary search. */
const ZIPF = (() => {
  const cumulative = new Float64Array(VOCABULARY_SIZE);
  let sum = 0;
  for (let rank = 0; rank < VOCABULARY_SIZE; rank++) {
    sum += 1 / (rank + 1);
    cumulative[rank] = sum;
  }
  return cumulative.map((value) => value / sum);
})();

function zipfRank(random: (n: number) => number): number {
  const u = random(1_000_000_000) / 1_000_000_000;
  let low = 0;
  let high = VOCABULARY_SIZE - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((ZIPF[mid] as number) < u) low = mid + 1;
    else high = mid;
  }
  return low;
}

const CATEGORIES = ['network', 'desktop', 'email', 'access', 'printing', 'telephony', 'applications', 'hardware', 'security', 'storage'];

/**
 * The `index`-th article of the corpus of `seed`. Chinese articles write
 * Chinese words run together as Chinese is written (so the segmenter and
 * the bigrams do real work), with an English product or error term now
 * and then; English articles are English words.
 */
export function corpusArticle(seed: number, index: number): ArticleContent {
  const random = seededRandom(seed * 1_000_003 + index);
  const chinese = random(10) < 6;
  const en = () => ENGLISH[zipfRank(random)] as string;
  const zh = () => CHINESE[zipfRank(random)] as string;
  const words = (count: number, pick: () => string) => Array.from({ length: count }, pick);
  const sentence = (length: number) =>
    chinese ? `${words(length, () => (random(8) === 0 ? ` ${en()} ` : zh())).join('')}。` : `${words(length, en).join(' ')}.`;
  const [symptoms, cause, resolution] = chinese ? ['现象', '原因', '解决方法'] : ['Symptoms', 'Cause', 'Resolution'];
  const title = chinese ? words(3 + random(3), () => (random(5) === 0 ? ` ${en()} ` : zh())).join('') : words(3 + random(4), en).join(' ');
  return {
    title: title.trim(),
    body: [`## ${symptoms}`, sentence(5 + random(5)), `## ${cause}`, sentence(4 + random(4)), `## ${resolution}`, sentence(5 + random(6))].join('\n\n'),
    // Skewed: a few categories hold most articles, as in a real knowledge base.
    category: CATEGORIES[Math.floor(CATEGORIES.length * (random(1000) / 1000) ** 2)] as string,
    tags: [...new Set(words(1 + random(3), en))],
    audience: random(10) < 4 ? ['requesters', 'agents'] : ['agents'],
    language: chinese ? 'zh-CN' : 'en',
    links: [],
  };
}
