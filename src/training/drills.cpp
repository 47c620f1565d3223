#include "training/drills.hpp"

namespace ascension::training {
namespace {

using domain::ClimbingLevel;
using domain::Indicator;

constexpr ClimbingLevel B = ClimbingLevel::kBeginner;
constexpr ClimbingLevel I = ClimbingLevel::kIntermediate;
constexpr ClimbingLevel A = ClimbingLevel::kAdvanced;
constexpr ClimbingLevel E = ClimbingLevel::kElite;

// Equipment, in Equipment order: gym, board, hangboard, outdoor, home.
constexpr std::array<bool, 5> kGymOrRock = {true, false, false, true, false};
constexpr std::array<bool, 5> kAnyWall = {true, true, false, true, false};
constexpr std::array<bool, 5> kGymOrBoard = {true, true, false, false, false};
constexpr std::array<bool, 5> kGymOnly = {true, false, false, false, false};
constexpr std::array<bool, 5> kHangboardOnly = {false, false, true, false, false};
constexpr std::array<bool, 5> kAnywhere = {false, false, false, false, true};

// Limbs asked for, in BodyLimb order: left arm, right arm, left leg, right leg.
constexpr std::array<bool, 4> kArms = {true, true, false, false};
constexpr std::array<bool, 4> kLegs = {false, false, true, true};
constexpr std::array<bool, 4> kAllLimbs = {true, true, true, true};
constexpr std::array<bool, 4> kNoLimb = {false, false, false, false};

constexpr Drill kCatalogue[] = {
    // --- technique: straight arms, hips close to the wall ------------------------------------
    {"straight_arm_traverse",
     Indicator::kTechnique,
     B,
     A,
     Load::kLight,
     kGymOrRock,
     kArms,
     {3, 0, 120, 120},
     {"Straight-arm traverse", "Traversée bras tendus"},
     {"Let the skeleton hold you: arms straight, the legs doing the work.",
      "Laisser le squelette vous porter : bras tendus, les jambes travaillent."},
     {"Traverse a low wall keeping both arms straight the whole time; reach the next hold by "
      "moving hips and feet, not by pulling.",
      "Traversez un pan bas en gardant les deux bras tendus en permanence ; atteignez la prise "
      "suivante en bougeant bassin et pieds, sans tirer."}},
    {"frog_position",
     Indicator::kTechnique,
     B,
     I,
     Load::kLight,
     kGymOrRock,
     kLegs,
     {3, 0, 90, 90},
     {"Frog position", "Position de la grenouille"},
     {"Hips close to the wall over turned-out feet.",
      "Hanches près du mur, au-dessus de pieds ouverts."},
     {"On a vertical wall, stand on two footholds at the same height, knees out, and press the "
      "hips to the wall; move one hand, then come back to the frog before the next move.",
      "Sur un mur vertical, debout sur deux prises de pied à la même hauteur, genoux ouverts, "
      "plaquez le bassin contre le mur ; bougez une main, puis revenez en grenouille avant le "
      "mouvement suivant."}},
    {"hip_mobility",
     Indicator::kTechnique,
     B,
     E,
     Load::kLight,
     kAnywhere,
     kLegs,
     {2, 0, 300, 60},
     {"Hip mobility", "Mobilité des hanches"},
     {"Open hips bring the body closer to the wall.",
      "Des hanches souples rapprochent le corps du mur."},
     {"Frog stretch on the floor, butterfly and lunges: hold each position 45 s, breathing "
      "slowly; never stretch into pain.",
      "Grenouille au sol, papillon et fentes : tenez chaque position 45 s en respirant "
      "lentement ; jamais jusqu'à la douleur."}},
    {"hip_turns",
     Indicator::kTechnique,
     I,
     E,
     Load::kModerate,
     kAnyWall,
     kLegs,
     {4, 6, 10, 90},
     {"Hip turns and drop knees", "Hanches de profil et lolottes"},
     {"Turn a hip to the wall on each reach to stay close and straight-armed.",
      "Tourner une hanche vers le mur à chaque allonge pour rester près du mur, bras tendus."},
     {"On an overhanging route, climb each move side-on: outside edge of the foot, knee "
      "dropped, hip against the wall, then reach with the straight arm on the same side.",
      "Dans un dévers, faites chaque mouvement de profil : carre externe du pied, genou baissé, "
      "hanche contre le mur, puis allongez le bras tendu du même côté."}},
    {"straight_arm_hangs",
     Indicator::kTechnique,
     I,
     E,
     Load::kHard,
     kHangboardOnly,
     kArms,
     {6, 0, 10, 120},
     {"Straight-arm hangs", "Suspensions bras tendus"},
     {"The strength to hang on straight arms with the shoulders engaged.",
      "La force de rester suspendu bras tendus, épaules engagées."},
     {"Hang from a good edge, arms straight and shoulders active (shoulder blades down), for "
      "10 s; keep two seconds in reserve.",
      "Suspendez-vous à une bonne réglette, bras tendus et épaules actives (omoplates basses), "
      "pendant 10 s ; gardez deux secondes de marge."}},

    // --- fluidity: smooth, continuous movement ------------------------------------------------
    {"slow_motion_climbing",
     Indicator::kFluidity,
     B,
     E,
     Load::kLight,
     kGymOrRock,
     kNoLimb,
     {3, 0, 180, 120},
     {"Slow-motion climbing", "Grimpe au ralenti"},
     {"Control every move: no jolt, no jump.",
      "Contrôler chaque mouvement : sans à-coup, sans saut."},
     {"Climb an easy route at half your usual speed without stopping, each move one continuous "
      "motion.",
      "Grimpez une voie facile à la moitié de votre vitesse habituelle, sans vous arrêter, chaque "
      "mouvement d'un seul geste continu."}},
    {"down_climbing",
     Indicator::kFluidity,
     B,
     I,
     Load::kLight,
     kGymOnly,
     kNoLimb,
     {4, 1, 120, 120},
     {"Down-climbing", "Désescalade"},
     {"Feel the moves in both directions and move deliberately.",
      "Sentir les mouvements dans les deux sens et bouger avec intention."},
     {"After each easy route, climb back down instead of lowering off, finding each foothold "
      "before you move.",
      "Après chaque voie facile, redescendez en désescalade au lieu de vous faire descendre, en "
      "trouvant chaque prise de pied avant de bouger."}},
    {"flow_laps",
     Indicator::kFluidity,
     B,
     A,
     Load::kModerate,
     kGymOrRock,
     kNoLimb,
     {3, 0, 210, 180},
     {"Flow laps", "Tours en continu"},
     {"Link the moves without stopping on bent arms.",
      "Enchaîner les mouvements sans s'arrêter bras fléchis."},
     {"Climb an easy route up and down without stopping for three to four minutes, at a steady "
      "speed, breathing out on each move.",
      "Montez et descendez une voie facile sans vous arrêter pendant trois à quatre minutes, à "
      "vitesse "
      "régulière, en expirant à chaque mouvement."}},
    {"four_by_four",
     Indicator::kFluidity,
     I,
     E,
     Load::kHard,
     kGymOrBoard,
     kNoLimb,
     {4, 4, 60, 240},
     {"4×4 boulders", "4×4 en bloc"},
     {"Stay smooth while tired.", "Rester fluide malgré la fatigue."},
     {"Pick four boulders two grades below your limit; climb the four in a row, rest four "
      "minutes, four times.",
      "Choisissez quatre blocs deux niveaux sous votre limite ; enchaînez les quatre, repos quatre "
      "minutes, quatre fois."}},

    // --- stability: the centre of mass over the support --------------------------------------
    {"silent_feet",
     Indicator::kStability,
     B,
     A,
     Load::kLight,
     kGymOrRock,
     kLegs,
     {3, 0, 300, 120},
     {"Silent feet", "Pieds silencieux"},
     {"Precise footwork: each foot placed once, without a sound.",
      "Un jeu de pieds précis : chaque pied posé une fois, sans bruit."},
     {"Climb an easy route placing each foot without a sound, watching the foothold until the "
      "shoe is on it.",
      "Grimpez une voie facile en posant chaque pied sans bruit, en regardant la prise jusqu'à ce "
      "que le chausson soit posé."}},
    {"feet_first",
     Indicator::kStability,
     B,
     I,
     Load::kLight,
     kGymOrRock,
     kLegs,
     {3, 0, 180, 120},
     {"Feet first", "Les pieds d'abord"},
     {"Weight over the feet before each hand move.",
      "Le poids au-dessus des pieds avant chaque mouvement de main."},
     {"On an easy route, before each hand move, step a foot up and bring your hips above it; "
      "only then reach.",
      "Sur une voie facile, avant chaque mouvement de main, montez un pied et placez votre bassin "
      "au-dessus ; seulement ensuite, allez chercher la prise."}},
    {"core_tension",
     Indicator::kStability,
     B,
     E,
     Load::kModerate,
     kAnywhere,
     kNoLimb,
     {3, 0, 30, 60},
     {"Core tension", "Gainage"},
     {"A stiff trunk keeps the feet on when the wall gets steep.",
      "Un tronc gainé garde les pieds au mur quand il devient raide."},
     {"Hollow-body holds and side planks: 30 s each, three rounds, lower back pressed to the "
      "floor.",
      "Creux (hollow body) et gainage latéral : 30 s chacun, trois tours, bas du dos plaqué au "
      "sol."}},
    {"hover_hands",
     Indicator::kStability,
     I,
     E,
     Load::kModerate,
     kGymOrRock,
     kArms,
     {4, 1, 180, 150},
     {"Hover hands", "Mains en suspens"},
     {"Balance on your feet: each hand hovers before it grips.",
      "L'équilibre sur les pieds : chaque main survole la prise avant de la saisir."},
     {"On a route below your level, hold each hand two seconds above the next hold before "
      "taking it; if you cannot, your weight is not over your feet.",
      "Sur une voie sous votre niveau, gardez chaque main deux secondes au-dessus de la prise "
      "suivante avant de la prendre ; si vous n'y arrivez pas, votre poids n'est pas sur vos "
      "pieds."}},
    {"flagging",
     Indicator::kStability,
     I,
     E,
     Load::kModerate,
     kAnyWall,
     kLegs,
     {4, 6, 10, 90},
     {"Flagging", "Drapeaux"},
     {"Balance a move with the free leg instead of the arms.",
      "Équilibrer un mouvement avec la jambe libre plutôt qu'avec les bras."},
     {"On a steep route, for each reach put the free leg out behind or to the side as a flag so "
      "that the body does not swing out.",
      "Dans un mur raide, à chaque allonge, placez la jambe libre en drapeau derrière ou sur le "
      "côté pour que le corps ne pivote pas."}},

    // --- efficiency: a direct path, no wasted placement --------------------------------------
    {"route_reading",
     Indicator::kEfficiency,
     B,
     E,
     Load::kLight,
     kGymOrRock,
     kNoLimb,
     {3, 1, 120, 60},
     {"Route reading", "Lecture de voie"},
     {"Know the sequence before leaving the ground.",
      "Connaître la séquence avant de quitter le sol."},
     {"Before each route, read it from the ground for two minutes: mime the hand sequence and "
      "choose each foothold; then climb it and compare.",
      "Avant chaque voie, lisez-la depuis le sol pendant deux minutes : mimez l'enchaînement des "
      "mains et choisissez chaque prise de pied ; puis grimpez et comparez."}},
    {"place_once",
     Indicator::kEfficiency,
     B,
     I,
     Load::kLight,
     kGymOrRock,
     kAllLimbs,
     {3, 0, 180, 120},
     {"Place once", "Poser une fois"},
     {"Each hand and foot placed once, where you chose.",
      "Chaque main et chaque pied posés une seule fois, là où vous l'avez décidé."},
     {"On an easy route, choose the exact spot on each hold before moving; a hand or a foot that "
      "readjusts means doing the move again.",
      "Sur une voie facile, choisissez l'endroit exact sur chaque prise avant de bouger ; une main "
      "ou un pied qui se réajuste, et vous refaites le mouvement."}},
    {"fewer_moves",
     Indicator::kEfficiency,
     B,
     A,
     Load::kLight,
     kGymOrRock,
     kNoLimb,
     {3, 2, 150, 120},
     {"Repeat with fewer moves", "Répéter avec moins de mouvements"},
     {"A direct line and no wasted placement.",
      "Une trajectoire directe, aucun placement inutile."},
     {"Climb a route, then climb it again using fewer hand and foot placements and no "
      "readjustment.",
      "Grimpez une voie, puis refaites-la avec moins de placements de mains et de pieds, sans "
      "réajuster."}},
    {"onsight_practice",
     Indicator::kEfficiency,
     I,
     E,
     Load::kModerate,
     kGymOrRock,
     kNoLimb,
     {4, 1, 300, 300},
     {"On-sight practice", "Entraînement à vue"},
     {"Efficient first tries on routes you do not know.",
      "Des premiers essais efficaces sur des voies inconnues."},
     {"Climb four routes you have never tried, one grade below your level, reading each one "
      "first; note where you hesitated.",
      "Grimpez quatre voies jamais essayées, un niveau sous le vôtre, en lisant chacune d'abord ; "
      "notez où vous avez hésité."}},
    {"limit_bouldering",
     Indicator::kEfficiency,
     A,
     E,
     Load::kHard,
     kAnyWall,
     kNoLimb,
     {5, 3, 20, 180},
     {"Limit bouldering", "Bloc à la limite"},
     {"Find the most economical beta on your hardest problems.",
      "Trouver la méthode la plus économe sur vos blocs les plus durs."},
     {"Work two or three boulders at your limit: short tries, three minutes' rest, and change one "
      "thing in the beta after each try.",
      "Travaillez deux ou trois blocs à votre limite : essais courts, trois minutes de repos, et "
      "changez un détail de la méthode après chaque essai."}},

    // --- pace: brisk moves at a steady rate ----------------------------------------------------
    {"breathing_rhythm",
     Indicator::kPace,
     B,
     I,
     Load::kLight,
     kGymOrRock,
     kNoLimb,
     {3, 0, 180, 120},
     {"Breathe with the moves", "Respirer avec les mouvements"},
     {"Breathing that sets the pace and removes hesitation.",
      "Une respiration qui donne le rythme et chasse l'hésitation."},
     {"On easy routes, breathe out on every move and breathe in while you look for the next "
      "hold; never hold your breath.",
      "Sur des voies faciles, expirez à chaque mouvement et inspirez en cherchant la prise "
      "suivante ; ne bloquez jamais votre respiration."}},
    {"tempo_climbing",
     Indicator::kPace,
     B,
     A,
     Load::kModerate,
     kGymOrRock,
     kNoLimb,
     {3, 0, 180, 150},
     {"Tempo climbing", "Grimpe au tempo"},
     {"A steady rhythm: one move per beat.", "Un rythme régulier : un mouvement par temps."},
     {"Climb an easy route to a slow beat (a metronome at 30 per minute, or counting): one hand "
      "or foot move per beat.",
      "Grimpez une voie facile sur un tempo lent (métronome à 30 par minute, ou en comptant) : un "
      "mouvement de main ou de pied par temps."}},
    {"speed_repeats",
     Indicator::kPace,
     I,
     E,
     Load::kHard,
     kGymOnly,
     kNoLimb,
     {5, 1, 45, 180},
     {"Speed repeats", "Répétitions rapides"},
     {"Move decisively on holds you know.", "Bouger avec décision sur des prises connues."},
     {"Climb a route well below your level as fast as you safely can, rest three minutes, five "
      "times; keep every foot precise.",
      "Grimpez une voie bien sous votre niveau aussi vite que possible en sécurité, repos trois "
      "minutes, cinq fois ; gardez chaque pied précis."}},
    {"linked_boulders",
     Indicator::kPace,
     A,
     E,
     Load::kHard,
     kGymOrBoard,
     kNoLimb,
     {4, 3, 40, 240},
     {"Linked boulders", "Blocs enchaînés"},
     {"Keep the pace across hard sequences.", "Garder le rythme sur des séquences dures."},
     {"Link three boulders near your limit with no rest between them; rest four minutes; four "
      "rounds.",
      "Enchaînez trois blocs proches de votre limite sans repos entre eux ; repos quatre minutes ; "
      "quatre tours."}},
};

}  // namespace

std::string_view EquipmentName(Equipment equipment) {
  switch (equipment) {
    case Equipment::kGym:
      return "gym";
    case Equipment::kBoard:
      return "board";
    case Equipment::kHangboard:
      return "hangboard";
    case Equipment::kOutdoor:
      return "outdoor";
    case Equipment::kHome:
      return "home";
  }
  return "";
}

std::optional<Equipment> ParseEquipment(std::string_view name) {
  for (Equipment e : kEquipment) {
    if (EquipmentName(e) == name) return e;
  }
  return std::nullopt;
}

std::string_view LoadName(Load load) {
  switch (load) {
    case Load::kLight:
      return "light";
    case Load::kModerate:
      return "moderate";
    case Load::kHard:
      return "hard";
  }
  return "";
}

std::span<const Drill> Catalogue() {
  return kCatalogue;
}

const Drill* FindDrill(std::string_view id) {
  for (const Drill& d : kCatalogue) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

bool Suits(const Drill& drill, const domain::ClimberProfile& profile) {
  for (domain::BodyLimb limb : domain::kBodyLimbs) {
    if (drill.asks_for[static_cast<int>(limb)] && !profile.CanUse(limb)) return false;
  }
  return true;
}

bool SuitsLevel(const Drill& drill, domain::ClimbingLevel level) {
  return level >= drill.min_level && level <= drill.max_level;
}

bool Available(const Drill& drill, std::span<const Equipment> available) {
  if (drill.equipment[static_cast<int>(Equipment::kHome)] || available.empty()) return true;
  for (Equipment e : available) {
    if (drill.equipment[static_cast<int>(e)]) return true;
  }
  return false;
}

std::vector<const Drill*> DrillsFor(domain::Indicator indicator, domain::ClimbingLevel level,
                                    const domain::ClimberProfile& profile,
                                    std::span<const Equipment> available) {
  std::vector<const Drill*> out;
  for (Load load : {Load::kLight, Load::kModerate, Load::kHard}) {
    for (const Drill& d : kCatalogue) {
      if (d.indicator == indicator && d.load == load && SuitsLevel(d, level) && Suits(d, profile) &&
          Available(d, available)) {
        out.push_back(&d);
      }
    }
  }
  return out;
}

domain::ClimbingLevel LevelOf(const domain::ClimberProfile& profile) {
  return profile.level ? profile.level->level() : domain::ClimbingLevel::kIntermediate;
}

}  // namespace ascension::training
