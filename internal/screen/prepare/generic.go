package prepare

import "strings"

// genericWords are words that name a kind of business, an institution or a
// place rather than a party. The lists are small, so some of these are rare
// in them ("precision", "logistics", "dubai") and corpus IDF alone would
// treat them as distinctive; their document frequency is raised to
// Options.GenericShare of the entries. Plural and adjective forms are listed
// where the lists use them.
var genericWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		academy advanced agency aerospace air association automation aviation bank banking bureau
		business capital center central chemical chemicals college commercial communication communications
		company components computer computing construction consulting consultancy corporate defense design
		development digital distribution east eastern economic education electric electrical electronic
		electronics energy engineering enterprise enterprises equipment export exports factory federal finance
		financial first fleet foreign freight gas general global group holding holdings import imports industrial
		industries industry information institute institution instrument instruments international investment
		investments laboratory laboratories logistics machine machinery management manufacturing marine maritime
		materials medical metal metals micro microelectronics military ministry modern national network networks
		new north northern office oil optical partners petroleum pharmaceutical plant power precision
		product production products project projects research resources science sciences scientific security
		semiconductor service services shipbuilding shipping software solutions south southern state steel
		supplies supply system systems tech technical technological technologies technology telecom
		telecommunication telecommunications trade trading transport transportation united university west
		western works world
		africa america american arab asia asian china chinese euro europe european gulf hong kong middle
		pacific russia russian
		beijing shanghai shenzhen guangzhou tianjin chongqing hangzhou nanjing wuhan chengdu xian changsha suzhou
		wuxi hefei harbin dalian qingdao xiamen zhuhai dongguan ningbo zhengzhou jinan shenyang changchun
		moscow petersburg saint novosibirsk yekaterinburg kazan minsk kiev kyiv tehran dubai sharjah abu dhabi
		istanbul karachi lahore delhi mumbai singapore kowloon taipei seoul tokyo london paris berlin damascus
		baghdad beirut caracas havana pyongyang`) {
		m[w] = true
	}
	return m
}()

// IsGeneric reports whether w (a normalised token) is a generic business or
// place word.
func IsGeneric(w string) bool { return genericWords[w] }
