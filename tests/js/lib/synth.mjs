// Synthetic SearchDocs with realistic Chinese government text, for tests of the sharded index and
// for measuring what a query downloads (measure.mjs). Deterministic for a seed.
//
// Words follow a Zipf law (the n-th commonest has weight 1/n) over ~200 common words of
// government documents followed by a long tail of made-up two- and three-character words, so
// that common bigrams occur in most documents and rare ones in few, as in a real archive. Bodies
// average about 1 200 characters; a few documents carry an English summary.

const COMMON = `工作 管理 建设 发展 推进 加强 实施 服务 单位 部门 政府 企业 社会 规定 办法 意见 通知
要求 制度 落实 组织 项目 资金 安全 责任 监督 检查 市场 经济 改革 创新 标准 质量 环境 保护 公开 政务
信息 公共 生产 农村 城市 交通 教育 卫生 医疗 文化 旅游 住房 土地 规划 审批 许可 登记 备案 申请 办理
公民 法人 组织 权利 义务 程序 依法 行政 执法 处罚 复议 诉讼 财政 预算 税收 补贴 奖励 扶持 产业 科技
人才 就业 养老 保险 救助 统计 调查 评估 考核 培训 宣传 应急 防控 疫情 消防 水利 能源 电力 通信 网络
数据 平台 系统 窗口 营商 投资 招商 合作 开放 外资 贸易 出口 物流 商务 金融 银行 信用 担保 债务 风险
审计 纪律 廉政 党建 群众 街道 社区 乡镇 县区 市直 省级 国家 中央 领导 小组 会议 文件 材料 报告 情况
措施 任务 目标 原则 范围 条件 期限 时间 方式 内容 结果 问题 整改 督查 通报 表彰 批评 处理 决定 批复
公告 公示 意见稿 征求 听证 论证 审查 合法性 解读 回应 关切 舆情 热线 投诉 举报 受理 答复 送达 公布
施行 废止 修改 有效期 试行 暂行 细则 方案 计划 纲要 规划纲要 专项 行动 攻坚 示范 试点 推广 验收
生态 污染 排放 治理 垃圾 分类 绿化 节能 减排 空气 水质 噪声 土壤 河道 湖泊 森林 草原 湿地 耕地 粮食`
  .split(/\s+/).filter(Boolean);

const ISSUERS = [
  ['洛阳市人民政府', '洛政'], ['洛阳市人民政府办公室', '洛政办'], ['洛阳市财政局', '洛财'],
  ['洛阳市教育局', '洛教'], ['洛阳市生态环境局', '洛环'], ['洛阳市住房和城乡建设局', '洛建'],
  ['洛阳市市场监督管理局', '洛市监'], ['洛阳市人力资源和社会保障局', '洛人社'],
  ['洛阳市发展和改革委员会', '洛发改'], ['洛阳市自然资源和规划局', '洛自然资'],
];
const KINDS = [['normative', '行政规范性文件'], ['policy', '其他政策文件'], ['notice', '公告公示'],
  ['regulation', '政府规章'], ['report', '报告']];
const STATUSES = [['in_force', '现行有效'], ['in_force', '现行有效'], ['in_force', '现行有效'],
  ['amended', '已修改'], ['repealed', '已废止'], ['expired', '已失效'], ['not_yet_effective', '尚未施行']];
const SUFFIXES = ['的通知', '的实施意见', '管理办法', '的若干规定', '实施细则', '的决定', '工作方案'];
const ENGLISH = ['Measures on investment facilitation and market access.',
  'Notice on the protection of investors and enterprises.', 'Monthly report on air quality and pollution control.',
  'Regulations on government information disclosure.'];

export function rng(seed) {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** The lexicon: the common words, then `tail` made-up words from their characters and more. */
function lexicon(random, tail) {
  const chars = Array.from(new Set(Array.from(COMMON.join(''))));
  for (let cp = 0x4E00; chars.length < 3000; cp += 7) chars.push(String.fromCodePoint(cp));
  const words = COMMON.slice();
  const seen = new Set(words);
  while (words.length < COMMON.length + tail) {
    const n = random() < 0.7 ? 2 : 3;
    let w = '';
    for (let i = 0; i < n; i++) w += chars[Math.floor(random() ** 1.5 * chars.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  // Cumulative Zipf weights for sampling.
  const cumulative = [];
  let total = 0;
  words.forEach((_, i) => { total += 1 / (i + 1); cumulative.push(total); });
  return { words, pick: () => {
    const x = random() * total;
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1; else hi = mid;
    }
    return words[lo];
  } };
}

/** `count` synthetic SearchDocs. */
export function synthDocs(count, seed = 1) {
  const random = rng(seed);
  const lex = lexicon(random, 30000);
  const int = (n) => Math.floor(random() * n);
  const sentence = () => {
    let s = '';
    const clauses = 1 + int(3);
    for (let c = 0; c < clauses; c++) {
      const n = 3 + int(8);
      for (let i = 0; i < n; i++) {
        s += lex.pick();
        if (random() < 0.04) s += (2010 + int(16)) + '年';
        if (random() < 0.03) s += '第' + (1 + int(40)) + '条';
      }
      s += c + 1 < clauses ? ',' : '。';
    }
    return s;
  };
  const docs = [];
  for (let n = 0; n < count; n++) {
    const [issuer, abbr] = ISSUERS[int(ISSUERS.length)];
    const [kind, kindLabel] = KINDS[int(KINDS.length)];
    const [status, statusLabel] = STATUSES[int(STATUSES.length)];
    const year = 2005 + int(21);
    const published = `${year}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}`;
    const length = 300 + Math.floor(-Math.log(1 - random()) * 900);
    let body = '';
    while (body.length < length) body += sentence() + (random() < 0.2 ? '\n' : '');
    const title = issuer + '关于' + lex.pick() + lex.pick() + (random() < 0.5 ? lex.pick() : '') +
      SUFFIXES[int(SUFFIXES.length)];
    const numbered = kind === 'normative' || kind === 'regulation';
    docs.push({
      id: `doc-${year}-${n}`,
      title,
      doc_number: numbered ? `${abbr}〔${year}〕${1 + int(200)}号` : null,
      issuers: random() < 0.05 ? [issuer, ISSUERS[int(ISSUERS.length)][0]] : [issuer],
      body,
      summary: random() < 0.05 ? ENGLISH[int(ENGLISH.length)] : null,
      published,
      year,
      status,
      status_label: statusLabel,
      kind,
      kind_label: kindLabel,
      url: `/documents/doc-${year}-${n}/`,
    });
  }
  return docs;
}

export const COMMON_WORDS = COMMON;
