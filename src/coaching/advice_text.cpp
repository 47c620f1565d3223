#include "coaching/advice_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace ascension::coaching {
namespace {

struct Texts {
  std::string_view title;
  std::array<std::string_view, 4> points;  // unused slots are empty
};

struct Entry {
  std::string_view id;
  Texts en;
  Texts fr;
};

// One entry per advice id. The first point of each shows the moment ({t}) and the numbers.
constexpr Entry kTable[] = {
    {"straight_arms",
     {"Climb on straight arms",
      {"{t} Your {side} arm is bent here; it was straight only {p}% {scope} (aim for at least "
       "{q}%).",
       "Hang from your skeleton: lock that arm straight between moves.",
       "Bend it only to reach the next hold, then straighten it again.",
       "Drop the shoulder under the hold so that you can hang from it on a straight arm."}},
     {"Grimpez bras tendus",
      {"{t} Votre bras {side} est fléchi ici ; il n'a été tendu que {p} % {scope} (visez au moins "
       "{q} %).",
       "Suspendez-vous sur votre squelette : gardez ce bras tendu entre les mouvements.",
       "Ne le fléchissez que pour atteindre la prise suivante, puis tendez-le à nouveau.",
       "Baissez l'épaule sous la prise pour vous y suspendre bras tendu."}}},
    {"hips_to_wall",
     {"Bring your hips to the wall",
      {"{t} Your hips are {d} away from the line of your hands and feet; they were far from it "
       "{q}% {scope}.",
       "Push the hips towards the wall so that your weight goes through the feet, not the arms.",
       "On steep ground turn side-on, hip against the wall, to bring your weight closer.",
       "Stand on your toes, heels low, chest close to the holds."}},
     {"Rapprochez vos hanches du mur",
      {"{t} Vos hanches sont à {d} de la ligne mains-pieds ; elles en étaient loin {q} % "
       "{scope}.",
       "Poussez le bassin vers le mur pour que votre poids passe par les pieds, pas par les bras.",
       "Dans le dévers, mettez-vous de profil, hanche contre le mur, pour rapprocher votre poids.",
       "Montez sur la pointe des pieds, talons bas, poitrine près des prises."}}},
    {"long_pause",
     {"Shorter stops, or rest on straight arms",
      {"{t} You stayed still for {s} s with bent arms (straight only {p}% of that time).",
       "Read the sequence from the ground so that you know the next moves before you commit.",
       "To rest, pick a good hold, straighten your arms and shake out one arm at a time.",
       "Breathe out slowly during the stop, count to three, then move on."}},
     {"Des arrêts plus courts, ou du repos bras tendus",
      {"{t} Vous êtes resté immobile {s} s bras fléchis (tendus seulement {p} % de ce temps).",
       "Lisez la séquence depuis le sol pour connaître les mouvements avant de vous engager.",
       "Pour vous reposer, choisissez une bonne prise, tendez les bras et secouez un bras à la "
       "fois.",
       "Expirez lentement pendant l'arrêt, comptez jusqu'à trois, puis repartez."}}},
    {"smooth_moves",
     {"Smoother moves",
      {"{t} Your body jolts here: smoothness {p}%{in_scope} (aim for at least {q}%).",
       "Start each move from the legs and let the body follow in one continuous push.",
       "Look at the next hold before moving and reach it in one motion, not several "
       "corrections.",
       "Practise climbing in slow motion on an easy route: no stop, no jump, steady speed."}},
     {"Des mouvements plus fluides",
      {"{t} Votre corps donne un à-coup ici : fluidité {p} %{in_scope} (visez au moins {q} %).",
       "Lancez chaque mouvement depuis les jambes et laissez le corps suivre d'une seule poussée.",
       "Regardez la prise suivante avant de bouger et atteignez-la d'un seul geste, sans "
       "corrections.",
       "Entraînez-vous à grimper au ralenti sur une voie facile : sans arrêt, sans saut, à "
       "vitesse constante."}}},
    {"weight_over_feet",
     {"Keep your weight over your feet",
      {"{t} Your centre of mass is outside your feet here; it was over them only {p}% {scope}.",
       "Before a move, shift your hips above the foot you are going to push on.",
       "Move the feet first, then the body, then the hands.",
       "When your feet are off to one side, flag the other leg to balance."}},
     {"Gardez votre poids au-dessus des pieds",
      {"{t} Votre centre de gravité est en dehors de vos pieds ici ; il n'était au-dessus d'eux "
       "que {p} % {scope}.",
       "Avant un mouvement, amenez votre bassin au-dessus du pied sur lequel vous allez pousser.",
       "Bougez d'abord les pieds, puis le corps, puis les mains.",
       "Quand vos pieds sont décalés d'un côté, faites un drapeau avec l'autre jambe pour "
       "vous équilibrer."}}},
    {"quiet_feet",
     {"Precise, quiet feet",
      {"{t} Your {side} foot is placed again on the same hold: {n} foot readjustments for {m} "
       "foot moves{in_scope}.",
       "Look at the foothold until your shoe is on it, and place it once.",
       "Choose the exact spot on the hold before lifting the foot.",
       "Drill: climb an easy route without making any noise with your shoes."}},
     {"Des pieds précis et silencieux",
      {"{t} Votre pied {side} est reposé sur la même prise : {n} réajustements de pied pour {m} "
       "mouvements de pied{in_scope}.",
       "Regardez la prise de pied jusqu'à ce que votre chausson soit posé, et posez-le une seule "
       "fois.",
       "Choisissez l'endroit exact sur la prise avant de lever le pied.",
       "Exercice : grimpez une voie facile sans faire de bruit avec vos chaussons."}}},
    {"use_legs",
     {"Move your feet more often",
      {"{t} A hand move with the feet left behind: {n} hand moves for {m} foot moves{in_scope}.",
       "Aim for one foot move per hand move: small steps keep the holds at chest height.",
       "When a hold feels far, raise a foot first instead of stretching the arm.",
       "Legs are stronger than arms: push with the legs, pull only to stay on."}},
     {"Bougez davantage vos pieds",
      {"{t} Un mouvement de main sans que les pieds suivent : {n} mouvements de mains pour {m} "
       "de pieds{in_scope}.",
       "Visez un mouvement de pied par mouvement de main : de petits pas gardent les prises à "
       "hauteur de poitrine.",
       "Quand une prise semble loin, montez d'abord un pied au lieu de tirer sur le bras.",
       "Les jambes sont plus fortes que les bras : poussez avec les jambes, ne tirez que pour "
       "rester au mur."}}},
    {"hesitation",
     {"Keep the rhythm",
      {"{t} Short stops took {p}% of your time on the wall ({n} stops{in_scope}).",
       "Plan the moves from the ground, feet included.",
       "Once you have decided on a move, commit to it.",
       "Find a rhythm: breathe out on each move."}},
     {"Gardez le rythme",
      {"{t} Les arrêts courts ont pris {p} % de votre temps au mur ({n} arrêts{in_scope}).",
       "Préparez les mouvements depuis le sol, pieds compris.",
       "Une fois le mouvement décidé, engagez-vous.",
       "Trouvez un rythme : expirez à chaque mouvement."}}},
    {"film_from_behind",
     {"Film from behind for balance feedback",
      {"{t} The camera sees you from an angle (facing {p}%{in_scope}), so the balance measures "
       "are left out.",
       "Place the phone behind you, facing the wall, 3 to 5 m away.",
       "Keep your whole body, hands and feet in the frame for the whole climb.", ""}},
     {"Filmez de dos pour analyser l'équilibre",
      {"{t} La caméra vous voit de biais (face à {p} %{in_scope}), les mesures d'équilibre sont "
       "donc laissées de côté.",
       "Placez le téléphone derrière vous, face au mur, à 3 à 5 m.",
       "Gardez tout votre corps, mains et pieds dans le cadre pendant toute la montée.", ""}}},
    {"strength_technique",
     {"Good technique",
      {"{t} Technique {p}/100{in_scope}: straight arms and hips close to the wall, as here.",
       "Keep this economy on harder routes: it is what spares your forearms.",
       "Next step: climb the same route a little faster while keeping the arms straight.", ""}},
     {"Bonne technique",
      {"{t} Technique {p}/100{in_scope} : bras tendus et hanches près du mur, comme ici.",
       "Gardez cette économie sur des voies plus dures : c'est elle qui épargne vos avant-bras.",
       "Étape suivante : grimpez la même voie un peu plus vite en gardant les bras tendus.", ""}}},
    {"strength_efficiency",
     {"Efficient climbing",
      {"{t} Efficiency {p}/100{in_scope}: a direct line and few wasted placements, as here.",
       "Keep reading the route before you start: it is what keeps the line direct.",
       "Next step: on-sight a route one grade harder with the same economy.", ""}},
     {"Grimpe efficace",
      {"{t} Efficacité {p}/100{in_scope} : une trajectoire directe et peu de placements "
       "inutiles, comme ici.",
       "Continuez de lire la voie avant de partir : c'est ce qui garde la trajectoire directe.",
       "Étape suivante : grimpez à vue une voie un niveau plus dure avec la même économie.", ""}}},
    {"strength_pace",
     {"Good pace",
      {"{t} Pace {p}/100{in_scope}: brisk moves at a steady rate, as here.",
       "Keep this rhythm on longer routes: it saves strength.",
       "Next step: keep the same pace on holds you have never used.", ""}},
     {"Bon rythme",
      {"{t} Rythme {p}/100{in_scope} : des mouvements vifs à un rythme régulier, comme ici.",
       "Gardez ce rythme sur des voies plus longues : il économise vos forces.",
       "Étape suivante : gardez le même rythme sur des prises que vous ne connaissez pas.", ""}}},
    {"long_reaches",
     {"Shorter reaches",
      {"{t} This hand move covers {reach}; {n} of your {m} hand moves went beyond {q}% of "
       "{span}{in_scope}.",
       "Raise a foot first to bring the next hold within a comfortable reach.",
       "Look for an intermediate hold to split a long move in two.",
       "On a long move, push with the legs and keep the hips close to the wall."}},
     {"Des allonges plus courtes",
      {"{t} Ce mouvement de main couvre {reach} ; {n} de vos {m} mouvements de main ont dépassé "
       "{q} % de {span}{in_scope}.",
       "Montez d'abord un pied pour amener la prise suivante à une allonge confortable.",
       "Cherchez une prise intermédiaire pour couper un long mouvement en deux.",
       "Sur un long mouvement, poussez avec les jambes et gardez les hanches près du mur."}}},
    {"strength_fluidity",
     {"Fluid movement",
      {"{t} Fluidity {p}/100{in_scope}: this move is smooth and continuous.",
       "Keep linking the moves without stopping on bent arms.",
       "Next step: keep the same flow on a route one grade harder.", ""}},
     {"Mouvement fluide",
      {"{t} Fluidité {p}/100{in_scope} : ce mouvement est souple et continu.",
       "Continuez d'enchaîner les mouvements sans vous arrêter bras fléchis.",
       "Étape suivante : gardez la même fluidité sur une voie un niveau plus dur.", ""}}},
    {"strength_stability",
     {"Good balance",
      {"{t} Stability {p}/100{in_scope}: your centre of mass stays over your support, as here.",
       "Keep moving the feet before the hands.",
       "Next step: train balance further on routes with smaller footholds.", ""}},
     {"Bon équilibre",
      {"{t} Stabilité {p}/100{in_scope} : votre centre de gravité reste au-dessus de vos appuis, "
       "comme ici.",
       "Continuez de bouger les pieds avant les mains.",
       "Étape suivante : travaillez encore l'équilibre sur des voies aux prises de pied plus "
       "petites.",
       ""}}},
    {"no_climber_detected",
     {"No climber detected",
      {"{t} No body could be found in this video, so there is nothing to analyse yet.",
       "Film the whole climb with the climber fully in the frame.",
       "Place the phone behind the climber, facing the wall, in good light.",
       "Avoid people crossing the frame."}},
     {"Aucun grimpeur détecté",
      {"{t} Aucun corps n'a été trouvé dans cette vidéo : il n'y a encore rien à analyser.",
       "Filmez toute la montée avec le grimpeur entièrement dans le cadre.",
       "Placez le téléphone derrière le grimpeur, face au mur, avec un bon éclairage.",
       "Évitez que des personnes traversent le cadre."}}},
};

std::string Number(double v, int decimals, Language language) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (language == Language::kFrench) {
    for (char& c : s) {
      if (c == '.') c = ',';
    }
  }
  return s;
}

// "your right arm was visible" / "votre bras droit était visible".
std::string_view PartPhrase(ScopePart part, Language language) {
  const bool fr = language == Language::kFrench;
  switch (part) {
    case ScopePart::kBody:
      return fr ? "votre corps était visible" : "your body was visible";
    case ScopePart::kLeftArm:
      return fr ? "votre bras gauche était visible" : "your left arm was visible";
    case ScopePart::kRightArm:
      return fr ? "votre bras droit était visible" : "your right arm was visible";
    case ScopePart::kHipsHandsFeet:
      return fr ? "vos hanches, vos mains et vos pieds étaient visibles"
                : "your hips, hands and feet were visible";
    case ScopePart::kBodyAndFeet:
      return fr ? "votre corps et vos pieds étaient visibles" : "your body and feet were visible";
    case ScopePart::kBothFeet:
      return fr ? "vos deux pieds étaient visibles" : "both your feet were visible";
    case ScopePart::kAllLimbs:
      return fr ? "vos mains et vos pieds étaient visibles" : "your hands and feet were visible";
    case ScopePart::kTorso:
      return fr ? "vos épaules et vos hanches étaient visibles"
                : "your shoulders and hips were visible";
    case ScopePart::kMoving:
      return fr ? "vous étiez en mouvement" : "you were moving";
  }
  return "";
}

std::string Fill(std::string_view tmpl, Language language, const TextValues& v) {
  const bool fr = language == Language::kFrench;
  const std::string seconds = Number(static_cast<double>(v.scope_ms) / 1000.0, 1, language);
  const std::string where = std::string(PartPhrase(v.part, language));
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] == '{') {
      const std::size_t close = tmpl.find('}', i);
      const std::string_view key = tmpl.substr(i + 1, close - i - 1);
      if (key == "t") {
        out += FormatTimecode(v.timestamp_ms);
      } else if (key == "side") {
        out += v.side == 0 ? (fr ? "gauche" : "left") : (fr ? "droit" : "right");
      } else if (key == "p") {
        out += Number(std::round(v.p), 0, language);
      } else if (key == "q") {
        out += Number(std::round(v.q), 0, language);
      } else if (key == "s") {
        out += Number(v.s, 1, language);
      } else if (key == "d") {
        if (v.height_cm > 0) {
          out += Number(std::round(v.d_bh * v.height_cm), 0, language) + " cm";
        } else {
          out += Number(std::round(100 * v.d_bh), 0, language) +
                 (fr ? " % de votre taille" : "% of your height");
        }
      } else if (key == "reach") {
        const std::string share = Number(std::round(v.p), 0, language) + (fr ? " %" : "%");
        const std::string of = v.span_known ? (fr ? " de votre envergure" : " of your arm span")
                                            : (fr ? " de votre taille" : " of your height");
        if (v.height_cm > 0) {
          out += Number(std::round(v.d_bh * v.height_cm), 0, language) + " cm, " + share + of;
        } else {
          out += share + of;
        }
      } else if (key == "span") {
        out += v.span_known ? (fr ? "votre envergure" : "your arm span")
                            : (fr ? "votre taille" : "your height");
      } else if (key == "scope") {
        if (v.whole_climb) {
          out += fr ? "de la montée" : "of the climb";
        } else {
          out += (fr ? "des " : "of the ") + seconds + (fr ? " s où " : " s where ") + where;
        }
      } else if (key == "in_scope") {
        if (!v.whole_climb) {
          out +=
              (fr ? " pendant les " : " in the ") + seconds + (fr ? " s où " : " s where ") + where;
        }
      } else if (key == "n") {
        out += std::to_string(v.n);
      } else if (key == "m") {
        out += std::to_string(v.m);
      }
      i = close + 1;
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}

// "45 s", "2 min", "1 min 30 s".
std::string Duration(int seconds) {
  if (seconds < 60) return std::to_string(seconds) + " s";
  const int m = seconds / 60, r = seconds % 60;
  return std::to_string(m) + " min" + (r ? " " + std::to_string(r) + " s" : "");
}

// "Your technique is" / "Votre technique est à".
std::string_view IndicatorIs(domain::Indicator i, Language language) {
  const bool fr = language == Language::kFrench;
  switch (i) {
    case domain::Indicator::kTechnique:
      return fr ? "Votre technique est à" : "Your technique is";
    case domain::Indicator::kFluidity:
      return fr ? "Votre fluidité est à" : "Your fluidity is";
    case domain::Indicator::kStability:
      return fr ? "Votre stabilité est à" : "Your stability is";
    case domain::Indicator::kEfficiency:
      return fr ? "Votre efficacité est à" : "Your efficiency is";
    case domain::Indicator::kPace:
      return fr ? "Votre rythme est à" : "Your pace is";
  }
  return "";
}

}  // namespace

AdviceText DrillText(const training::Drill& drill, Language language, const TextValues& values) {
  const bool fr = language == Language::kFrench;
  AdviceText out;
  out.title = std::string(fr ? "Exercice : " : "Drill: ") + std::string(drill.name.In(fr));
  out.points.push_back(
      Fill("{t} ", language, values) + std::string(IndicatorIs(drill.indicator, language)) + " " +
      Number(std::round(values.p), 0, language) + "/100" + Fill("{in_scope}", language, values) +
      (fr ? " : " : ": ") + std::string(drill.aim.In(fr)));
  out.points.emplace_back(drill.how.In(fr));
  const training::Dose& d = drill.dose;
  std::string dose = std::to_string(d.sets) + (fr ? (d.sets > 1 ? " séries de " : " série de ")
                                                  : (d.sets > 1 ? " sets of " : " set of "));
  dose += d.reps > 0 ? std::to_string(d.reps) : Duration(d.work_s);
  dose += fr ? ", " + Duration(d.rest_s) + " de repos entre les séries."
             : ", " + Duration(d.rest_s) + " rest between sets.";
  out.points.push_back(std::move(dose));
  return out;
}

AdviceText LocalizedText(std::string_view id, Language language, const TextValues& values) {
  for (const Entry& e : kTable) {
    if (e.id != id) continue;
    const Texts& t = language == Language::kFrench ? e.fr : e.en;
    AdviceText out{std::string(t.title), {}};
    for (std::string_view p : t.points) {
      if (!p.empty()) out.points.push_back(Fill(p, language, values));
    }
    return out;
  }
  return {};
}

std::vector<std::string_view> AdviceIdsWithTexts() {
  std::vector<std::string_view> ids;
  for (const Entry& e : kTable) ids.push_back(e.id);
  return ids;
}

}  // namespace ascension::coaching
