package prepare

import (
	"strings"

	"github.com/mozillazg/go-unidecode"
)

// hanGlossary maps Chinese words that appear in company and institution
// names to the English word the lists print for them. Legal forms map to the
// canonical legal-form words (legalforms.go) so 有限公司 ≡ "Co., Ltd.". Place
// names map to their usual spelling, which also makes them word boundaries
// (北京华为 → "beijing huawei"). Anything not here is romanised syllable by
// syllable and joined (华为 → "huawei").
var hanGlossary = map[string]string{
	// legal forms
	"股份有限公司": "co ltd", "有限责任公司": "co ltd", "有限公司": "co ltd",
	"有限責任公司": "co ltd", "股份公司": "jsc", "公司": "co", "集团": "group",
	"集團": "group", "控股": "holdings", "株式会社": "kk",
	// business and institution words
	"技术": "technology", "技術": "technology", "科技": "technology",
	"信息": "information", "电子": "electronics", "電子": "electronics",
	"通信": "communication", "通讯": "communication", "网络": "network",
	"软件": "software", "数字": "digital", "智能": "intelligent",
	"半导体": "semiconductor", "集成电路": "integrated circuit",
	"微电子": "microelectronics", "光电": "optoelectronic",
	"制造": "manufacturing", "国际": "international", "國際": "international",
	"贸易": "trading", "貿易": "trading", "进出口": "import export",
	"实业": "industrial", "工业": "industrial", "产业": "industry",
	"发展": "development", "研究所": "research institute",
	"研究院": "research institute", "研究": "research", "大学": "university",
	"學院": "institute", "学院": "institute", "中心": "center",
	"工程": "engineering", "物理": "physics", "航空": "aviation",
	"航天": "aerospace", "设备": "equipment", "仪器": "instrument",
	"机械": "machinery", "材料": "materials", "能源": "energy",
	"化工": "chemical", "物流": "logistics", "投资": "investment",
	"服务": "service", "终端": "terminal", "计算机": "computer",
	"计算": "computing", "系统": "systems", "装备": "equipment",
	"船舶": "shipbuilding", "重工": "heavy industry", "核": "nuclear",
	"国防": "national defense", "科学": "science", "科学院": "academy of sciences",
	"公安局": "public security bureau", "军事": "military",
	"电力": "electric power", "光学": "optics", "精密": "precision",
	"新能源": "new energy", "航运": "shipping", "海运": "shipping",
	"电器": "electric", "分公司": "branch", "市": "municipality",
	"北方": "north", "南方": "south",
	// places (countries, provinces, large cities)
	"中国": "china", "中華": "china", "中华": "china", "香港": "hong kong",
	"澳门": "macau", "台湾": "taiwan", "北京": "beijing", "上海": "shanghai",
	"深圳": "shenzhen", "广州": "guangzhou", "天津": "tianjin",
	"重庆": "chongqing", "杭州": "hangzhou", "南京": "nanjing", "武汉": "wuhan",
	"成都": "chengdu", "西安": "xian", "长沙": "changsha", "苏州": "suzhou",
	"无锡": "wuxi", "合肥": "hefei", "哈尔滨": "harbin", "大连": "dalian",
	"青岛": "qingdao", "厦门": "xiamen", "珠海": "zhuhai", "东莞": "dongguan",
	"宁波": "ningbo", "郑州": "zhengzhou", "济南": "jinan", "沈阳": "shenyang",
	"长春": "changchun", "南昌": "nanchang", "福州": "fuzhou", "昆明": "kunming",
	"绵阳": "mianyang", "乌鲁木齐": "urumqi", "新疆": "xinjiang",
	"四川": "sichuan", "广东": "guangdong", "江苏": "jiangsu", "浙江": "zhejiang",
	"山东": "shandong", "河北": "hebei", "湖北": "hubei", "湖南": "hunan",
	"陕西": "shaanxi", "山西": "shanxi", "河南": "henan", "辽宁": "liaoning",
	"吉林": "jilin", "黑龙江": "heilongjiang", "福建": "fujian", "安徽": "anhui",
	"江西": "jiangxi", "云南": "yunnan", "贵州": "guizhou", "甘肃": "gansu",
	"内蒙古": "inner mongolia",
}

// hanMaxWord is the longest glossary key, in runes.
var hanMaxWord = func() int {
	n := 0
	for k := range hanGlossary {
		if l := len([]rune(k)); l > n {
			n = l
		}
	}
	return n
}()

// transliterateHan romanises a run of Han characters: longest glossary match
// first, and the pinyin of the characters between matches joined into one
// word. A run of two or three characters with no glossary word is read as a
// personal name, written the way the lists write one: surname, then the given
// name in one word (李方伟 → "li fangwei"); a two-character brand written
// this way ("hua wei") still meets "Huawei" through joined-word matching.
func transliterateHan(rs []rune) string {
	if len(rs) == 2 || len(rs) == 3 {
		name := true
		for i := range rs {
			for l := 1; i+l <= len(rs); l++ {
				if _, ok := hanGlossary[string(rs[i:i+l])]; ok {
					name = false
				}
			}
		}
		if name {
			given := ""
			for _, r := range rs[1:] {
				given += pinyin(r)
			}
			return pinyin(rs[0]) + " " + given
		}
	}
	var out []string
	var pending strings.Builder
	flush := func() {
		if pending.Len() > 0 {
			out = append(out, pending.String())
			pending.Reset()
		}
	}
	for i := 0; i < len(rs); {
		matched := false
		for l := min(hanMaxWord, len(rs)-i); l >= 1; l-- {
			if t, ok := hanGlossary[string(rs[i:i+l])]; ok {
				flush()
				out = append(out, t)
				i += l
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		pending.WriteString(pinyin(rs[i]))
		i++
	}
	flush()
	return strings.Join(out, " ")
}

// pinyin is the toneless pinyin syllable of one Han character.
func pinyin(r rune) string {
	return strings.ToLower(strings.TrimSpace(unidecode.Unidecode(string(r))))
}
