"""lunr-languages 1.22.0's data, read from its vendored files by a script.

Do not edit: run scripts/lunr_languages_data.py. WORD_CHARACTERS is each language's
``lunr.<code>.wordCharacters`` (the trimmer's character class, to which generateTrimmer adds
``0-9``); STOP_WORDS each list given to ``lunr.generateStopWordFilter``, in its order, exactly
(ru's ends with ``"\\ufeffа"``).
"""

from __future__ import annotations

_RU_CHARACTERS = "\u0400-\u0484\u0487-\u052f\u1d2b\u1d78\u2de0-\u2dff\ua640-\ua69f\ufe2e\ufe2f"
_DE_CHARACTERS = (
    "A-Za-z\xaa\xba\xc0-\xd6\xd8-\xf6"
    "\xf8-\u02b8\u02e0-\u02e4\u1d00-\u1d25\u1d2c-\u1d5c\u1d62-\u1d65\u1d6b-\u1d77"
    "\u1d79-\u1dbe\u1e00-\u1eff\u2071\u207f\u2090-\u209c\u212a"
    "\u212b\u2132\u214e\u2160-\u2188\u2c60-\u2c7f\ua722-\ua787"
    "\ua78b-\ua7ad\ua7b0-\ua7b7\ua7f7-\ua7ff\uab30-\uab5a\uab5c-\uab64\ufb00-\ufb06"
    "\uff21-\uff3a\uff41-\uff5a"
)

WORD_CHARACTERS: dict[str, str] = {
    "ru": _RU_CHARACTERS,
    "de": _DE_CHARACTERS,
    "fr": _DE_CHARACTERS,
    "es": _DE_CHARACTERS,
    "it": _DE_CHARACTERS,
    "pt": _DE_CHARACTERS,
    "nl": _DE_CHARACTERS,
    "sv": _DE_CHARACTERS,
    "fi": _DE_CHARACTERS,
    "no": _DE_CHARACTERS,
    "da": _DE_CHARACTERS,
    "hu": _DE_CHARACTERS,
    "ro": _DE_CHARACTERS,
    "tr": _DE_CHARACTERS,
}

# Each list as the JavaScript writes it: one string split on single spaces.
STOP_WORDS: dict[str, tuple[str, ...]] = {
    "ru": tuple(
        (
            "алло без близко более больше будем будет будете будешь будто буду будут будь бы "
            "бывает бывь был была были было быть в важная важное важные важный вам вами вас ваш "
            "ваша ваше ваши вверх вдали вдруг ведь везде весь вниз внизу во вокруг вон "
            "восемнадцатый восемнадцать восемь восьмой вот впрочем времени время все всегда "
            "всего всем всеми всему всех всею всю всюду вся всё второй вы г где говорил говорит "
            "год года году да давно даже далеко дальше даром два двадцатый двадцать две "
            "двенадцатый двенадцать двух девятнадцатый девятнадцать девятый девять действительно "
            "дел день десятый десять для до довольно долго должно другая другие других друго "
            "другое другой е его ее ей ему если есть еще ещё ею её ж же жизнь за занят занята "
            "занято заняты затем зато зачем здесь значит и из или им именно иметь ими имя иногда "
            "их к каждая каждое каждые каждый кажется как какая какой кем когда кого ком кому "
            "конечно которая которого которой которые который которых кроме кругом кто куда лет "
            "ли лишь лучше люди м мало между меля менее меньше меня миллионов мимо мира мне "
            "много многочисленная многочисленное многочисленные многочисленный мной мною мог "
            "могут мож может можно можхо мои мой мор мочь моя моё мы на наверху над надо назад "
            "наиболее наконец нам нами нас начала наш наша наше наши не него недавно недалеко "
            "нее ней нельзя нем немного нему непрерывно нередко несколько нет нею неё ни нибудь "
            "ниже низко никогда никуда ними них ничего но ну нужно нх о об оба обычно один "
            "одиннадцатый одиннадцать однажды однако одного одной около он она они оно опять "
            "особенно от отовсюду отсюда очень первый перед по под пожалуйста позже пока пор "
            "пора после посреди потом потому почему почти прекрасно при про просто против "
            "процентов пятнадцатый пятнадцать пятый пять раз разве рано раньше рядом с сам сама "
            "сами самим самими самих само самого самой самом самому саму свое своего своей свои "
            "своих свою сеаой себе себя сегодня седьмой сейчас семнадцатый семнадцать семь сих "
            "сказал сказала сказать сколько слишком сначала снова со собой собою совсем спасибо "
            "стал суть т та так такая также такие такое такой там твой твоя твоё те тебе тебя "
            "тем теми теперь тех то тобой тобою тогда того тоже только том тому тот тою третий "
            "три тринадцатый тринадцать ту туда тут ты тысяч у уж уже уметь хорошо хотеть хоть "
            "хотя хочешь часто чаще чего человек чем чему через четвертый четыре четырнадцатый "
            "четырнадцать что чтоб чтобы чуть шестнадцатый шестнадцать шестой шесть эта эти этим "
            "этими этих это этого этой этом этому этот эту я \ufeffа"
        ).split(" ")
    ),
    "de": tuple(
        (
            "aber alle allem allen aller alles als also am an ander andere anderem anderen "
            "anderer anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit "
            "dann das dasselbe dazu daß dein deine deinem deinen deiner deines dem demselben den "
            "denn denselben der derer derselbe derselben des desselben dessen dich die dies "
            "diese dieselbe dieselben diesem diesen dieser dieses dir doch dort du durch ein "
            "eine einem einen einer eines einig einige einigem einigen einiger einiges einmal er "
            "es etwas euch euer eure eurem euren eurer eures für gegen gewesen hab habe haben "
            "hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres "
            "im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt "
            "kann kein keine keinem keinen keiner keines können könnte machen man manche manchem "
            "manchen mancher manches mein meine meinem meinen meiner meines mich mir mit muss "
            "musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen "
            "seiner seines selbst sich sie sind so solche solchem solchen solcher solches soll "
            "sollte sondern sonst um und uns unse unsem unsen unser unses unter viel vom von vor "
            "war waren warst was weg weil weiter welche welchem welchen welcher welches wenn "
            "werde werden wie wieder will wir wird wirst wo wollen wollte während würde würden "
            "zu zum zur zwar zwischen über"
        ).split(" ")
    ),
    "fr": tuple(
        (
            "ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez "
            "aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant "
            "ayez ayons c ce ceci celà ces cet cette d dans de des du elle en es est et eu eue "
            "eues eurent eus eusse eussent eusses eussiez eussions eut eux eûmes eût eûtes "
            "furent fus fusse fussent fusses fussiez fussions fut fûmes fût fûtes ici il ils j "
            "je l la le les leur leurs lui m ma mais me mes moi mon même n ne nos notre nous on "
            "ont ou par pas pour qu que quel quelle quelles quels qui s sa sans se sera serai "
            "seraient serais serait seras serez seriez serions serons seront ses soi soient sois "
            "soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre "
            "vous y à étaient étais était étant étiez étions été étée étées étés êtes"
        ).split(" ")
    ),
    "es": tuple(
        (
            "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde "
            "durante e el ella ellas ellos en entre era erais eran eras eres es esa esas ese eso "
            "esos esta estaba estabais estaban estabas estad estada estadas estado estados "
            "estamos estando estar estaremos estará estarán estarás estaré estaréis estaría "
            "estaríais estaríamos estarían estarías estas este estemos esto estos estoy estuve "
            "estuviera estuvierais estuvieran estuvieras estuvieron estuviese estuvieseis "
            "estuviesen estuvieses estuvimos estuviste estuvisteis estuviéramos estuviésemos "
            "estuvo está estábamos estáis están estás esté estéis estén estés fue fuera fuerais "
            "fueran fueras fueron fuese fueseis fuesen fueses fui fuimos fuiste fuisteis "
            "fuéramos fuésemos ha habida habidas habido habidos habiendo habremos habrá habrán "
            "habrás habré habréis habría habríais habríamos habrían habrías habéis había habíais "
            "habíamos habían habías han has hasta hay haya hayamos hayan hayas hayáis he hemos "
            "hube hubiera hubierais hubieran hubieras hubieron hubiese hubieseis hubiesen "
            "hubieses hubimos hubiste hubisteis hubiéramos hubiésemos hubo la las le les lo los "
            "me mi mis mucho muchos muy más mí mía mías mío míos nada ni no nos nosotras "
            "nosotros nuestra nuestras nuestro nuestros o os otra otras otro otros para pero "
            "poco por porque que quien quienes qué se sea seamos sean seas seremos será serán "
            "serás seré seréis sería seríais seríamos serían serías seáis sido siendo sin sobre "
            "sois somos son soy su sus suya suyas suyo suyos sí también tanto te tendremos "
            "tendrá tendrán tendrás tendré tendréis tendría tendríais tendríamos tendrían "
            "tendrías tened tenemos tenga tengamos tengan tengas tengo tengáis tenida tenidas "
            "tenido tenidos teniendo tenéis tenía teníais teníamos tenían tenías ti tiene tienen "
            "tienes todo todos tu tus tuve tuviera tuvierais tuvieran tuvieras tuvieron tuviese "
            "tuvieseis tuviesen tuvieses tuvimos tuviste tuvisteis tuviéramos tuviésemos tuvo "
            "tuya tuyas tuyo tuyos tú un una uno unos vosotras vosotros vuestra vuestras vuestro "
            "vuestros y ya yo él éramos"
        ).split(" ")
    ),
    "it": tuple(
        (
            "a abbia abbiamo abbiano abbiate ad agl agli ai al all alla alle allo anche avemmo "
            "avendo avesse avessero avessi avessimo aveste avesti avete aveva avevamo avevano "
            "avevate avevi avevo avrai avranno avrebbe avrebbero avrei avremmo avremo avreste "
            "avresti avrete avrà avrò avuta avute avuti avuto c che chi ci coi col come con "
            "contro cui da dagl dagli dai dal dall dalla dalle dallo degl degli dei del dell "
            "della delle dello di dov dove e ebbe ebbero ebbi ed era erano eravamo eravate eri "
            "ero essendo faccia facciamo facciano facciate faccio facemmo facendo facesse "
            "facessero facessi facessimo faceste facesti faceva facevamo facevano facevate "
            "facevi facevo fai fanno farai faranno farebbe farebbero farei faremmo faremo "
            "fareste faresti farete farà farò fece fecero feci fosse fossero fossi fossimo foste "
            "fosti fu fui fummo furono gli ha hai hanno ho i il in io l la le lei li lo loro lui "
            "ma mi mia mie miei mio ne negl negli nei nel nell nella nelle nello noi non nostra "
            "nostre nostri nostro o per perché più quale quanta quante quanti quanto quella "
            "quelle quelli quello questa queste questi questo sarai saranno sarebbe sarebbero "
            "sarei saremmo saremo sareste saresti sarete sarà sarò se sei si sia siamo siano "
            "siate siete sono sta stai stando stanno starai staranno starebbe starebbero starei "
            "staremmo staremo stareste staresti starete starà starò stava stavamo stavano "
            "stavate stavi stavo stemmo stesse stessero stessi stessimo steste stesti stette "
            "stettero stetti stia stiamo stiano stiate sto su sua sue sugl sugli sui sul sull "
            "sulla sulle sullo suo suoi ti tra tu tua tue tuo tuoi tutti tutto un una uno vi voi "
            "vostra vostre vostri vostro è"
        ).split(" ")
    ),
    "pt": tuple(
        (
            "a ao aos aquela aquelas aquele aqueles aquilo as até com como da das de dela delas "
            "dele deles depois do dos e ela elas ele eles em entre era eram essa essas esse "
            "esses esta estamos estas estava estavam este esteja estejam estejamos estes esteve "
            "estive estivemos estiver estivera estiveram estiverem estivermos estivesse "
            "estivessem estivéramos estivéssemos estou está estávamos estão eu foi fomos for "
            "fora foram forem formos fosse fossem fui fôramos fôssemos haja hajam hajamos "
            "havemos hei houve houvemos houver houvera houveram houverei houverem houveremos "
            "houveria houveriam houvermos houverá houverão houveríamos houvesse houvessem "
            "houvéramos houvéssemos há hão isso isto já lhe lhes mais mas me mesmo meu meus "
            "minha minhas muito na nas nem no nos nossa nossas nosso nossos num numa não nós o "
            "os ou para pela pelas pelo pelos por qual quando que quem se seja sejam sejamos sem "
            "serei seremos seria seriam será serão seríamos seu seus somos sou sua suas são só "
            "também te tem temos tenha tenham tenhamos tenho terei teremos teria teriam terá "
            "terão teríamos teu teus teve tinha tinham tive tivemos tiver tivera tiveram tiverem "
            "tivermos tivesse tivessem tivéramos tivéssemos tu tua tuas tém tínhamos um uma você "
            "vocês vos à às éramos"
        ).split(" ")
    ),
    "nl": tuple(
        (
            " aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen "
            "door dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij "
            "hoe hun iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn "
            "moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen "
            "toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden "
            "wordt zal ze zelf zich zij zijn zo zonder zou"
        ).split(" ")
    ),
    "sv": tuple(
        (
            "alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta "
            "dig din dina ditt du där då efter ej eller en er era ert ett från för ha hade han "
            "hans har henne hennes hon honom hur här i icke ingen inom inte jag ju kan kunde man "
            "med mellan men mig min mina mitt mot mycket ni nu när någon något några och om oss "
            "på samma sedan sig sin sina sitta själv skulle som så sådan sådana sådant till "
            "under upp ut utan vad var vara varför varit varje vars vart vem vi vid vilka vilkas "
            "vilken vilket vår våra vårt än är åt över"
        ).split(" ")
    ),
    "fi": tuple(
        (
            "ei eivät emme en et ette että he heidän heidät heihin heille heillä heiltä heissä "
            "heistä heitä hän häneen hänelle hänellä häneltä hänen hänessä hänestä hänet häntä "
            "itse ja johon joiden joihin joiksi joilla joille joilta joina joissa joista joita "
            "joka joksi jolla jolle jolta jona jonka jos jossa josta jota jotka kanssa keiden "
            "keihin keiksi keille keillä keiltä keinä keissä keistä keitä keneen keneksi kenelle "
            "kenellä keneltä kenen kenenä kenessä kenestä kenet ketkä ketkä ketä koska kuin kuka "
            "kun me meidän meidät meihin meille meillä meiltä meissä meistä meitä mihin miksi "
            "mikä mille millä miltä minkä minkä minua minulla minulle minulta minun minussa "
            "minusta minut minuun minä minä missä mistä mitkä mitä mukaan mutta ne niiden niihin "
            "niiksi niille niillä niiltä niin niin niinä niissä niistä niitä noiden noihin "
            "noiksi noilla noille noilta noin noina noissa noista noita nuo nyt näiden näihin "
            "näiksi näille näillä näiltä näinä näissä näistä näitä nämä ole olemme olen olet "
            "olette oli olimme olin olisi olisimme olisin olisit olisitte olisivat olit olitte "
            "olivat olla olleet ollut on ovat poikki se sekä sen siihen siinä siitä siksi sille "
            "sillä sillä siltä sinua sinulla sinulle sinulta sinun sinussa sinusta sinut sinuun "
            "sinä sinä sitä tai te teidän teidät teihin teille teillä teiltä teissä teistä teitä "
            "tuo tuohon tuoksi tuolla tuolle tuolta tuon tuona tuossa tuosta tuota tähän täksi "
            "tälle tällä tältä tämä tämän tänä tässä tästä tätä vaan vai vaikka yli"
        ).split(" ")
    ),
    "no": tuple(
        (
            "alle at av bare begge ble blei bli blir blitt både båe da de deg dei deim deira "
            "deires dem den denne der dere deres det dette di din disse ditt du dykk dykkar då "
            "eg ein eit eitt eller elles en enn er et ett etter for fordi fra før ha hadde han "
            "hans har hennar henne hennes her hjå ho hoe honom hoss hossen hun hva hvem hver "
            "hvilke hvilken hvis hvor hvordan hvorfor i ikke ikkje ikkje ingen ingi inkje inn "
            "inni ja jeg kan kom korleis korso kun kunne kva kvar kvarhelst kven kvi kvifor man "
            "mange me med medan meg meget mellom men mi min mine mitt mot mykje ned no noe noen "
            "noka noko nokon nokor nokre nå når og også om opp oss over på samme seg selv si si "
            "sia sidan siden sin sine sitt sjøl skal skulle slik so som som somme somt så sånn "
            "til um upp ut uten var vart varte ved vere verte vi vil ville vore vors vort vår "
            "være være vært å"
        ).split(" ")
    ),
    "da": tuple(
        (
            "ad af alle alt anden at blev blive bliver da de dem den denne der deres det dette "
            "dig din disse dog du efter eller en end er et for fra ham han hans har havde have "
            "hende hendes her hos hun hvad hvis hvor i ikke ind jeg jer jo kunne man mange med "
            "meget men mig min mine mit mod ned noget nogle nu når og også om op os over på selv "
            "sig sin sine sit skal skulle som sådan thi til ud under var vi vil ville vor være "
            "været"
        ).split(" ")
    ),
    "hu": tuple(
        (
            "a abban ahhoz ahogy ahol aki akik akkor alatt amely amelyek amelyekben amelyeket "
            "amelyet amelynek ami amikor amit amolyan amíg annak arra arról az azok azon azonban "
            "azt aztán azután azzal azért be belül benne bár cikk cikkek cikkeket csak de e "
            "ebben eddig egy egyes egyetlen egyik egyre egyéb egész ehhez ekkor el ellen elsõ "
            "elég elõ elõször elõtt emilyen ennek erre ez ezek ezen ezt ezzel ezért fel felé "
            "hanem hiszen hogy hogyan igen ill ill. illetve ilyen ilyenkor ismét ison itt jobban "
            "jó jól kell kellett keressünk keresztül ki kívül között közül legalább legyen lehet "
            "lehetett lenne lenni lesz lett maga magát majd majd meg mellett mely melyek mert mi "
            "mikor milyen minden mindenki mindent mindig mint mintha mit mivel miért most már "
            "más másik még míg nagy nagyobb nagyon ne nekem neki nem nincs néha néhány nélkül "
            "olyan ott pedig persze rá s saját sem semmi sok sokat sokkal szemben szerint szinte "
            "számára talán tehát teljes tovább továbbá több ugyanis utolsó után utána vagy "
            "vagyis vagyok valaki valami valamint való van vannak vele vissza viszont volna volt "
            "voltak voltam voltunk által általában át én éppen és így õ õk õket össze úgy új "
            "újabb újra"
        ).split(" ")
    ),
    "ro": tuple(
        (
            "acea aceasta această aceea acei aceia acel acela acele acelea acest acesta aceste "
            "acestea aceşti aceştia acolo acord acum ai aia aibă aici al ale alea altceva "
            "altcineva am ar are asemenea asta astea astăzi asupra au avea avem aveţi azi aş "
            "aşadar aţi bine bucur bună ca care caut ce cel ceva chiar cinci cine cineva contra "
            "cu cum cumva curând curînd când cât câte câtva câţi cînd cît cîte cîtva cîţi că "
            "căci cărei căror cărui către da dacă dar datorită dată dau de deci deja deoarece "
            "departe deşi din dinaintea dintr- dintre doi doilea două drept după dă ea ei el ele "
            "eram este eu eşti face fata fi fie fiecare fii fim fiu fiţi frumos fără graţie "
            "halbă iar ieri la le li lor lui lângă lîngă mai mea mei mele mereu meu mi mie mine "
            "mult multă mulţi mulţumesc mâine mîine mă ne nevoie nici nicăieri nimeni nimeri "
            "nimic nişte noastre noastră noi noroc nostru nouă noştri nu opt ori oricare orice "
            "oricine oricum oricând oricât oricînd oricît oriunde patra patru patrulea pe pentru "
            "peste pic poate pot prea prima primul prin puţin puţina puţină până pînă rog sa "
            "sale sau se spate spre sub sunt suntem sunteţi sută sînt sîntem sînteţi să săi său "
            "ta tale te timp tine toate toată tot totuşi toţi trei treia treilea tu tăi tău un "
            "una unde undeva unei uneia unele uneori unii unor unora unu unui unuia unul vi "
            "voastre voastră voi vostru vouă voştri vreme vreo vreun vă zece zero zi zice îi îl "
            "îmi împotriva în  înainte înaintea încotro încât încît între întrucât întrucît îţi "
            "ăla ălea ăsta ăstea ăştia şapte şase şi ştiu ţi ţie"
        ).split(" ")
    ),
    "tr": tuple(
        (
            "acaba altmış altı ama ancak arada aslında ayrıca bana bazı belki ben benden beni "
            "benim beri beş bile bin bir biri birkaç birkez birçok birşey birşeyi biz bizden "
            "bize bizi bizim bu buna bunda bundan bunlar bunları bunların bunu bunun burada "
            "böyle böylece da daha dahi de defa değil diye diğer doksan dokuz dolayı dolayısıyla "
            "dört edecek eden ederek edilecek ediliyor edilmesi ediyor elli en etmesi etti "
            "ettiği ettiğini eğer gibi göre halen hangi hatta hem henüz hep hepsi her herhangi "
            "herkesin hiç hiçbir iki ile ilgili ise itibaren itibariyle için işte kadar karşın "
            "katrilyon kendi kendilerine kendini kendisi kendisine kendisini kez ki kim kimden "
            "kime kimi kimse kırk milyar milyon mu mü mı nasıl ne neden nedenle nerde nerede "
            "nereye niye niçin o olan olarak oldu olduklarını olduğu olduğunu olmadı olmadığı "
            "olmak olması olmayan olmaz olsa olsun olup olur olursa oluyor on ona ondan onlar "
            "onlardan onları onların onu onun otuz oysa pek rağmen sadece sanki sekiz seksen sen "
            "senden seni senin siz sizden sizi sizin tarafından trilyon tüm var vardı ve veya ya "
            "yani yapacak yapmak yaptı yaptıkları yaptığı yaptığını yapılan yapılması yapıyor "
            "yedi yerine yetmiş yine yirmi yoksa yüz zaten çok çünkü öyle üzere üç şey şeyden "
            "şeyi şeyler şu şuna şunda şundan şunları şunu şöyle"
        ).split(" ")
    ),
}
