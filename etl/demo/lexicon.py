"""French words the demo generator draws from: products, supplier names, NAF codes,
site-search keywords and referrers.

Everything here ends up as data, so it is written in French. Products are grouped by the
category keys of `etl/config/vocabulary.toml`; each product is
(title, unit, minimum price €, maximum price €).
"""

# --- Produits frais -------------------------------------------------------------------------

FOOD_PRODUCTS = {
    "fruits_legumes": [
        ("Panier de légumes de saison", "panier", 12, 25),
        ("Panier de fruits et légumes", "panier", 15, 30),
        ("Fraises gariguette", "barquette de 500 g", 3.5, 6.5),
        ("Fraises charlotte", "barquette de 500 g", 3.5, 6),
        ("Asperges blanches de Sologne", "botte de 1 kg", 8, 14),
        ("Asperges vertes", "botte de 500 g", 4.5, 8),
        ("Pommes de terre nouvelles", "kg", 1.5, 3),
        ("Pommes de terre de conservation", "sac de 5 kg", 4, 8),
        ("Carottes des sables", "kg", 1.2, 2.5),
        ("Salade batavia", "pièce", 0.8, 1.5),
        ("Radis roses", "botte", 1, 1.8),
        ("Poireaux", "botte", 1.5, 3),
        ("Oignons jaunes", "kg", 1.5, 2.8),
        ("Échalotes", "kg", 3, 5),
        ("Tomates anciennes", "kg", 3, 6),
        ("Tomates cerises", "barquette de 250 g", 2, 3.5),
        ("Courgettes", "kg", 1.5, 3),
        ("Concombre", "pièce", 0.8, 1.5),
        ("Épinards frais", "kg", 3, 5),
        ("Pommes Reinette", "kg", 1.8, 3),
        ("Pommes Golden", "kg", 1.6, 2.8),
        ("Poires Conférence", "kg", 2, 3.5),
        ("Cerises burlat", "kg", 5, 9),
        ("Melon charentais", "pièce", 2, 4),
        ("Champignons de Paris des caves de Touraine", "barquette de 500 g", 3, 5),
        ("Pleurotes", "barquette de 250 g", 3, 5),
        ("Rhubarbe", "botte", 2.5, 4),
        ("Potimarron", "pièce", 2, 4),
        ("Ail rose", "tresse", 6, 12),
        ("Haricots verts", "kg", 4, 7),
    ],
    "viandes_volailles": [
        ("Poulet fermier Label Rouge", "pièce", 12, 20),
        ("Poulet fermier prêt à cuire", "kg", 8, 12),
        ("Pintade fermière", "pièce", 13, 20),
        ("Canard de Barbarie", "pièce", 15, 25),
        ("Lapin fermier", "pièce", 14, 22),
        ("Colis de viande de bœuf", "colis de 5 kg", 70, 110),
        ("Colis de veau", "colis de 5 kg", 80, 120),
        ("Côte de bœuf", "kg", 25, 35),
        ("Steaks hachés", "lot de 4", 6, 9),
        ("Rôti de porc", "kg", 12, 16),
        ("Rillettes de Tours", "pot de 250 g", 4, 6),
        ("Rillons de Touraine", "kg", 18, 25),
        ("Andouillette de Jargeau", "kg", 15, 20),
        ("Pâté de Pâques berrichon", "pièce", 8, 14),
        ("Saucisson sec", "pièce", 5, 8),
        ("Terrine de campagne", "pot de 180 g", 3.5, 5.5),
        ("Demi-agneau du Berry", "colis", 100, 160),
        ("Gigot d'agneau", "kg", 20, 28),
        ("Chipolatas", "kg", 11, 15),
        ("Cuisses de poulet", "kg", 7, 10),
    ],
    "produits_laitiers": [
        ("Crottin de Chavignol AOP", "pièce", 1.8, 2.8),
        ("Sainte-Maure-de-Touraine AOP", "pièce", 5, 8),
        ("Selles-sur-Cher AOP", "pièce", 3.5, 5.5),
        ("Valençay AOP", "pièce", 5, 8),
        ("Pouligny-Saint-Pierre AOP", "pièce", 6, 10),
        ("Olivet cendré", "pièce", 4, 7),
        ("Feuille de Dreux", "pièce", 7, 10),
        ("Fromage de chèvre frais", "pièce", 1.5, 3),
        ("Fromage blanc fermier", "pot de 500 g", 2.5, 4),
        ("Yaourts nature au lait entier", "lot de 4", 2.5, 4),
        ("Yaourts aux fruits", "lot de 4", 3, 4.5),
        ("Lait cru entier", "litre", 1, 1.5),
        ("Beurre fermier demi-sel", "plaquette de 250 g", 3, 5),
        ("Crème fraîche épaisse", "pot de 500 g", 3, 5),
        ("Tomme de vache", "kg", 16, 24),
        ("Faisselle", "pièce", 1.5, 2.5),
    ],
    "oeufs": [
        ("Œufs de poules élevées en plein air", "boîte de 6", 1.8, 2.8),
        ("Œufs frais bio", "boîte de 6", 2.2, 3.5),
        ("Œufs plein air", "plateau de 30", 8, 12),
        ("Œufs extra-frais", "douzaine", 3.2, 5),
        ("Œufs de cane", "boîte de 6", 3, 4.5),
        ("Œufs de caille", "boîte de 12", 2.5, 4),
    ],
    "pain_boulangerie": [
        ("Pain de campagne au levain", "pièce", 2.5, 4.5),
        ("Baguette tradition", "pièce", 1, 1.3),
        ("Pain complet", "pièce", 2.5, 4),
        ("Pain aux céréales", "pièce", 2.8, 4.5),
        ("Brioche tressée", "pièce", 4, 7),
        ("Croissants pur beurre", "lot de 6", 5, 7),
        ("Fouées tourangelles", "lot de 10", 4, 7),
        ("Tarte Tatin", "pièce", 14, 22),
        ("Pithiviers feuilleté", "pièce", 14, 22),
        ("Macarons de Cormery", "boîte de 12", 6, 10),
        ("Sablés de Nançay", "boîte de 200 g", 4, 7),
        ("Pain d'épices au miel", "pièce", 5, 8),
    ],
    "miel": [
        ("Miel de tilleul", "pot de 500 g", 6, 9),
        ("Miel d'acacia", "pot de 500 g", 7, 10),
        ("Miel de fleurs de printemps", "pot de 250 g", 4, 6),
        ("Miel de châtaignier", "pot de 500 g", 6.5, 9),
        ("Miel de colza crémeux", "pot de 1 kg", 9, 13),
        ("Miel toutes fleurs de Sologne", "pot de 500 g", 6, 8.5),
        ("Pollen de fleurs", "pot de 250 g", 8, 12),
        ("Propolis", "flacon de 15 ml", 7, 11),
        ("Nougat au miel", "barre de 100 g", 3.5, 5.5),
        ("Bougies en cire d'abeille", "pièce", 5, 12),
    ],
    "boissons": [
        ("Vin de Touraine rouge", "bouteille 75 cl", 6, 12),
        ("Vin de Touraine sauvignon", "bouteille 75 cl", 6, 11),
        ("Vouvray demi-sec", "bouteille 75 cl", 9, 16),
        ("Montlouis-sur-Loire sec", "bouteille 75 cl", 9, 15),
        ("Chinon rouge", "bouteille 75 cl", 8, 15),
        ("Bourgueil rouge", "bouteille 75 cl", 8, 14),
        ("Saint-Nicolas-de-Bourgueil", "bouteille 75 cl", 8, 15),
        ("Sancerre blanc", "bouteille 75 cl", 13, 20),
        ("Menetou-Salon rouge", "bouteille 75 cl", 11, 17),
        ("Quincy blanc", "bouteille 75 cl", 10, 15),
        ("Reuilly rosé", "bouteille 75 cl", 9, 14),
        ("Valençay blanc", "bouteille 75 cl", 8, 12),
        ("Cheverny blanc", "bouteille 75 cl", 7, 12),
        ("Coteaux du Giennois", "bouteille 75 cl", 8, 13),
        ("Crémant de Loire brut", "bouteille 75 cl", 8, 13),
        ("Jus de pomme artisanal", "bouteille 1 l", 2.5, 4),
        ("Jus de poire", "bouteille 1 l", 3, 4.5),
        ("Cidre fermier brut", "bouteille 75 cl", 3.5, 5.5),
        ("Bière blonde artisanale", "bouteille 33 cl", 2.5, 4),
        ("Bière ambrée artisanale", "bouteille 75 cl", 5, 8),
        ("Hydromel", "bouteille 75 cl", 10, 16),
    ],
    "epicerie": [
        ("Lentilles vertes du Berry", "sachet de 500 g", 2.5, 4),
        ("Farine de blé T65", "sac de 1 kg", 1.5, 2.5),
        ("Farine de blé T80 bise", "sac de 5 kg", 6, 9),
        ("Huile de colza vierge", "bouteille 50 cl", 4, 6.5),
        ("Huile de noix", "bouteille 50 cl", 8, 13),
        ("Confiture de fraises", "pot de 350 g", 3.5, 5.5),
        ("Confiture de rhubarbe", "pot de 350 g", 3.5, 5.5),
        ("Pâtes artisanales", "sachet de 500 g", 3, 5),
        ("Safran du Gâtinais", "pot de 0,5 g", 12, 20),
        ("Vinaigre d'Orléans", "bouteille 50 cl", 5, 9),
        ("Moutarde d'Orléans", "pot de 200 g", 3, 5),
        ("Cotignac d'Orléans", "boîte de 60 g", 4, 7),
        ("Forestines de Bourges", "sachet de 200 g", 6, 9),
        ("Pralines de Montargis", "boîte de 125 g", 8, 13),
        ("Pois chiches", "sachet de 500 g", 2.5, 4),
        ("Noix sèches", "kg", 6, 10),
        ("Chocolats artisanaux", "boîte de 250 g", 9, 15),
    ],
    "poissons": [
        ("Carpe de la Brenne", "kg", 6, 10),
        ("Filets de carpe", "barquette de 500 g", 8, 12),
        ("Truite fario", "pièce", 5, 8),
        ("Truite fumée", "sachet de 2 filets", 6, 9),
        ("Brochet", "kg", 12, 18),
        ("Rillettes de truite", "pot de 100 g", 4, 6),
        ("Terrine de carpe", "pot de 180 g", 5, 7),
    ],
    "fleurs_plants": [
        ("Plants de tomates", "godet", 1, 2),
        ("Plants de légumes variés", "lot de 6", 4, 7),
        ("Plants d'aromatiques", "godet", 1.5, 3),
        ("Plants de fraisiers", "lot de 6", 5, 8),
        ("Bouquet de fleurs de saison", "pièce", 10, 20),
        ("Tulipes", "botte de 10", 6, 10),
        ("Pivoines", "botte de 5", 8, 14),
        ("Géraniums", "pot", 3, 5),
        ("Muguet en pot", "pot", 4, 7),
        ("Plantes à massif", "barquette de 6", 5, 8),
    ],
}

# Words added to some titles ("Fraises gariguette bio"), per category.
FOOD_TITLE_SUFFIXES = {
    "fruits_legumes": [" bio", " bio", " (récolte du jour)", " en vrac", " de la ferme"],
    "oeufs": [" gros calibre", " (ramassés du jour)"],
    "epicerie": [" bio", " bio", " en vrac"],
    "produits_laitiers": [" bio", " au lait cru"],
    "miel": [" bio", " (récolte 2020)"],
    "viandes_volailles": [" bio", " (sur commande)"],
}

FOOD_CATEGORY_WEIGHTS = {
    "fruits_legumes": 30, "viandes_volailles": 15, "produits_laitiers": 13, "oeufs": 6,
    "pain_boulangerie": 6, "miel": 6, "boissons": 10, "epicerie": 9, "poissons": 2, "fleurs_plants": 3,
}

# Supplier kind -> (share, primary category weights, name patterns per primary category).
# In name patterns: {lieu} a place phrase ("du Grand Chêne"), {nom} a family name,
# {commune} "de Chinon" / "d'Amboise" built from the supplier's commune.
FOOD_KINDS = {
    "producteur": (0.70, {
        "fruits_legumes": 34, "viandes_volailles": 14, "produits_laitiers": 14, "oeufs": 6, "miel": 8,
        "boissons": 12, "epicerie": 5, "poissons": 2, "fleurs_plants": 5,
    }),
    "commerçant": (0.10, {"epicerie": 40, "fruits_legumes": 25, "boissons": 20, "produits_laitiers": 15}),
    "artisan": (0.14, {"pain_boulangerie": 45, "viandes_volailles": 30, "produits_laitiers": 15, "boissons": 10}),
    "coopérative": (0.06, {"fruits_legumes": 40, "produits_laitiers": 20, "viandes_volailles": 20, "boissons": 20}),
}

FOOD_NAME_PATTERNS = {
    ("producteur", "fruits_legumes"): ["Ferme {lieu}", "EARL Les Vergers {lieu}", "GAEC {lieu}", "Les Jardins {lieu}",
                                       "Maraîchage {nom}", "EARL {nom}", "Les Jardins {commune}", "Ferme {nom}"],
    ("producteur", "viandes_volailles"): ["Ferme {lieu}", "Élevage {nom}", "GAEC {lieu}", "La Volaille {commune}",
                                          "EARL {nom}", "Ferme {nom}"],
    ("producteur", "produits_laitiers"): ["Chèvrerie {lieu}", "La Chèvrerie {commune}", "GAEC {lieu}", "Ferme {lieu}",
                                          "Fromagerie fermière {nom}"],
    ("producteur", "oeufs"): ["Les Poules {lieu}", "Ferme {lieu}", "EARL {nom}", "Les Œufs {commune}"],
    ("producteur", "miel"): ["Rucher {lieu}", "Les Ruchers {commune}", "Miellerie {lieu}", "Apiculture {nom}"],
    ("producteur", "boissons"): ["Domaine {nom}", "Domaine {lieu}", "Château {lieu}", "Vignoble {nom}",
                                 "Cidrerie {lieu}"],
    ("producteur", "epicerie"): ["Ferme {lieu}", "Moulin {lieu}", "EARL {nom}", "Les Champs {commune}"],
    ("producteur", "poissons"): ["Pisciculture {lieu}", "Étangs {lieu}", "Pêcherie {nom}"],
    ("producteur", "fleurs_plants"): ["Horticulture {nom}", "Pépinière {lieu}", "Les Serres {lieu}"],
    ("commerçant", "epicerie"): ["Épicerie {nom}", "Épicerie fine {commune}", "Au Panier {lieu}", "Le Comptoir {commune}"],
    ("commerçant", "fruits_legumes"): ["Primeur {nom}", "Au Marché {lieu}", "Les Halles {commune}"],
    ("commerçant", "boissons"): ["Cave {nom}", "La Cave {commune}", "Le Cellier {lieu}"],
    ("commerçant", "produits_laitiers"): ["Crèmerie {nom}", "Fromagerie {commune}"],
    ("artisan", "pain_boulangerie"): ["Boulangerie {nom}", "Boulangerie-Pâtisserie {nom}", "Au Pain {lieu}",
                                      "Biscuiterie {commune}", "Le Fournil {lieu}"],
    ("artisan", "viandes_volailles"): ["Boucherie {nom}", "Charcuterie {nom}", "Boucherie-Charcuterie {commune}"],
    ("artisan", "produits_laitiers"): ["Fromagerie {lieu}", "Fromagerie {nom}"],
    ("artisan", "boissons"): ["Brasserie {lieu}", "Brasserie artisanale {commune}"],
    ("coopérative", None): ["Coopérative {lieu}", "Magasin de producteurs {commune}", "Les Fermiers {lieu}",
                            "Le Panier paysan {commune}", "Cave coopérative {lieu}", "Drive fermier {commune}"],
}

PLACE_PHRASES = [
    "du Grand Chêne", "des Prés", "de la Loire", "du Val de Cher", "des Trois Chênes", "de Sologne", "du Berry",
    "de Touraine", "du Perche", "de la Beauce", "du Gâtinais", "de la Brenne", "des Saules", "du Moulin",
    "de la Vallée", "des Coteaux", "du Bois Joli", "de la Source", "des Tilleuls", "du Colombier",
    "de la Garenne", "des Noues", "de Beauregard", "de la Motte", "des Aulnes", "de Bellevue", "du Petit Bois",
    "des Champs", "de la Croix Blanche", "du Val d'Indre", "des Bordes", "de la Chaume", "du Cher",
    "de l'Arnon", "de la Sauldre", "du Loir", "des Gâtines", "de la Roche", "des Varennes", "du Boischaut",
    "de la Tuilerie", "des Vignes", "du Pressoir", "de l'Étang", "des Marais", "de la Forêt", "du Haut Bois",
]

FAMILY_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Legrand", "Garnier", "Faure",
    "Rousseau", "Blanc", "Guérin", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément",
    "Gauthier", "Dumont", "Fontaine", "Chevalier", "Robin", "Masson", "Gérard", "Boyer", "Denis", "Lemaire",
    "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Lucas", "Meunier", "Marchand", "Dufour",
    "Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Leroux", "Colin", "Renard", "Arnaud", "Rolland",
    "Caron", "Aubert", "Giraud", "Leclerc", "Renaud", "Lemoine", "Picard", "Gaillard", "Lacroix", "Fabre",
    "Dupuis", "Olivier", "Hubert", "Guillot", "Rivière", "Moulin", "Berger", "Lecomte", "Ménard", "Fleury",
    "Deschamps", "Carpentier", "Julien", "Benoît", "Maillard", "Aubry", "Renault", "Jacquet", "Collet",
    "Prévost", "Poirier", "Charpentier", "Royer", "Huet", "Baron", "Laîné", "Breton", "Rémy", "Perrot",
    "Guyot", "Barré", "Cousin", "Bodin", "Chauvin", "Pasquier", "Besnard", "Chartier", "Lebrun", "Tessier",
]

# NAF rev.2 codes of food suppliers, by primary category.
FOOD_NAF = {
    "fruits_legumes": ["01.13Z", "01.24Z", "01.25Z", "01.61Z"],
    "viandes_volailles": ["01.47Z", "01.42Z", "01.46Z", "10.13B", "47.22Z"],
    "produits_laitiers": ["01.45Z", "01.41Z", "10.51C", "47.29Z"],
    "oeufs": ["01.47Z"],
    "pain_boulangerie": ["10.71C", "10.71D", "10.72Z"],
    "miel": ["01.49Z"],
    "boissons": ["01.21Z", "11.02B", "11.05Z", "47.25Z"],
    "epicerie": ["01.11Z", "10.61A", "47.29Z", "47.11C"],
    "poissons": ["03.22Z"],
    "fleurs_plants": ["01.19Z", "01.30Z"],
}

# NAF codes of shops, craftsmen and cooperatives (producers use FOOD_NAF by category).
FOOD_NAF_BY_KIND = {
    "commerçant": {"epicerie": ["47.29Z", "47.11B"], "fruits_legumes": ["47.21Z"], "boissons": ["47.25Z"],
                   "produits_laitiers": ["47.29Z"]},
    "artisan": {"pain_boulangerie": ["10.71C", "10.71D"], "viandes_volailles": ["47.22Z", "10.13B"],
                "produits_laitiers": ["47.29Z", "10.51C"], "boissons": ["11.05Z"]},
    "coopérative": {None: ["46.31Z", "47.11C", "46.33Z", "11.02B"]},
}

# Spellings of category labels seen in operators' exports besides the vocabulary label; each
# is an alias of etl/config/vocabulary.toml once lower-cased and stripped of accents.
CATEGORY_SPELLINGS = {
    "fruits_legumes": ["Fruits et legumes", "FRUITS ET LÉGUMES", "fruits & légumes"],
    "viandes_volailles": ["Viandes", "Viandes et volailles"],
    "produits_laitiers": ["Produits laitiers", "Crèmerie", "Fromages"],
    "oeufs": ["Oeufs", "OEUFS"],
    "pain_boulangerie": ["Boulangerie", "Pain et boulangerie"],
    "miel": ["Miel", "Produits de la ruche"],
    "boissons": ["BOISSONS", "boissons"],
    "epicerie": ["Epicerie", "Épicerie fine"],
    "poissons": ["Pisciculture", "Poisson"],
    "fleurs_plants": ["Horticulture", "Fleurs et plants"],
    "masques": ["Masques barrières", "MASQUES", "masque"],
    "blouses": ["Blouse", "BLOUSES"],
    "surblouses": ["Sur-blouses", "Surblouse"],
    "visieres": ["Visieres", "Écrans faciaux"],
    "parois": ["Plexiglas", "Hygiaphones", "Parois"],
    "signaletique": ["Signalétique", "Signalétique Covid 19"],
    "cameras_thermometres": ["Caméras thermiques", "Thermomètres infrarouges"],
}

FOOD_SEARCHES_MATCHING = [
    "fraises", "asperges", "légumes", "panier légumes", "panier de légumes", "poulet", "poulet fermier",
    "fromage de chèvre", "fromage de chevre", "crottin", "sainte maure", "miel", "œufs", "oeufs", "pain",
    "vin", "vouvray", "chinon", "sancerre", "bière", "lentilles", "farine", "viande", "colis boeuf",
    "rillettes", "pommes de terre", "fromage", "lait", "confiture", "jus de pomme", "tomates", "salade",
    "carpe", "fleurs", "plants tomates", "beurre", "crème fraîche", "pâtes", "yaourts", "agneau", "bio",
]
FOOD_SEARCHES_UNMATCHED = [
    "masques lavables", "farine de sarrasin", "gel hydroalcoolique", "huîtres", "kiwi", "levure",
    "papier toilette", "pizza", "livraison à domicile", "drive",
]

# --- Équipements de protection ---------------------------------------------------------------

# Offer templates per category: (title, unit, min price, max price, standards to draw from).
# An empty standard means "no standard given" (left empty in the export).
EQUIPMENT_PRODUCTS = {
    "masques": [
        ("Masque barrière en tissu lavable 50 fois", "pièce", 3, 8, ["AFNOR SPEC S76-001 cat. 1"]),
        ("Masque grand public en tissu catégorie 2", "pièce", 2.5, 6, ["AFNOR SPEC S76-001 cat. 2"]),
        ("Masque tissu enfant", "lot de 5", 10, 22, ["AFNOR SPEC S76-001 cat. 1", ""]),
        ("Masque chirurgical type IIR", "boîte de 50", 15, 45, ["EN 14683 type IIR"]),
        ("Masque chirurgical 3 plis", "boîte de 50", 12, 35, ["EN 14683 type IIR", "EN 14683"]),
        ("Masque FFP2 sans soupape", "boîte de 20", 25, 90, ["EN 149 FFP2"]),
        ("Masque FFP2 pliable", "pièce", 1.5, 5, ["EN 149 FFP2"]),
        ("Masque inclusif à fenêtre transparente", "pièce", 6, 12, ["AFNOR SPEC S76-001 cat. 1", ""]),
        ("Masque en tissu personnalisable avec logo", "lot de 100", 250, 600, ["AFNOR SPEC S76-001 cat. 1", ""]),
    ],
    "blouses": [
        ("Blouse de protection lavable en polyester", "pièce", 12, 30, ["", "EN 13795"]),
        ("Blouse médicale en coton", "pièce", 18, 35, ["", ""]),
        ("Blouse de travail manches longues", "lot de 10", 90, 220, [""]),
    ],
    "surblouses": [
        ("Surblouse jetable en polypropylène", "lot de 10", 8, 25, ["EN 13795", "EN 14126", ""]),
        ("Surblouse imperméable réutilisable", "pièce", 9, 22, ["EN 14126", ""]),
        ("Surblouse en non-tissé 30 g/m²", "carton de 100", 60, 180, ["EN 13795", ""]),
    ],
    "visieres": [
        ("Visière de protection intégrale réutilisable", "pièce", 4, 12, ["EN 166", ""]),
        ("Visière imprimée en 3D", "pièce", 3, 8, [""]),
        ("Écran facial anti-projections", "lot de 10", 30, 80, ["EN 166", ""]),
    ],
    "parois": [
        ("Paroi de protection en plexiglas 80 × 60 cm", "pièce", 60, 140, [""]),
        ("Hygiaphone de comptoir sur pied", "pièce", 45, 120, [""]),
        ("Écran de séparation de bureau en polycarbonate", "pièce", 70, 180, [""]),
        ("Cloison mobile sur roulettes", "pièce", 180, 450, [""]),
    ],
    "signaletique": [
        ("Kit de signalétique COVID-19", "kit", 40, 120, [""]),
        ("Adhésifs de marquage au sol « Respectez la distance »", "lot de 10", 15, 40, [""]),
        ("Panneau « Port du masque obligatoire »", "pièce", 8, 25, [""]),
        ("Totem distributeur de gel avec affichage", "pièce", 90, 250, [""]),
        ("Affiches gestes barrières A3", "lot de 20", 12, 35, [""]),
    ],
    "cameras_thermometres": [
        ("Caméra thermique de détection de température", "pièce", 2000, 9000, ["", "EN ISO 80601-2-59"]),
        ("Thermomètre infrarouge sans contact", "pièce", 30, 90, ["EN ISO 80601-2-56", ""]),
        ("Borne de prise de température", "pièce", 600, 2500, [""]),
    ],
}

# Company sector -> (share, NAF codes, offered categories with weights, name patterns, converted?).
EQUIPMENT_SECTORS = {
    "textile": (0.26, ["13.92Z", "13.96Z", "13.99Z", "14.12Z", "14.13Z", "14.14Z", "14.19Z"],
                {"masques": 70, "blouses": 18, "surblouses": 12},
                ["Confection {lieu}", "Atelier textile {commune}", "Tissages {lieu}", "{nom} Confection",
                 "Lingerie {nom}", "Textiles {lieu}", "Couture {commune}"]),
    "plasturgie": (0.12, ["22.21Z", "22.22Z", "22.29A", "22.29B"],
                   {"visieres": 50, "parois": 40, "masques": 10},
                   ["Plasturgie {lieu}", "{nom} Plastiques", "Injection plastique {commune}", "Plastiques {lieu}"]),
    "imprimerie": (0.10, ["18.12Z", "18.13Z", "18.14Z"],
                   {"signaletique": 60, "visieres": 20, "parois": 20},
                   ["Imprimerie {nom}", "Imprimerie {commune}", "{nom} Impression", "Reprographie {lieu}"]),
    "enseignes": (0.08, ["73.11Z", "32.99Z", "25.99B"],
                  {"signaletique": 55, "parois": 45},
                  ["Enseignes {nom}", "Signalétique {lieu}", "{nom} Signalisation", "Publicité {commune}"]),
    "mobilier": (0.09, ["31.01Z", "31.09B", "16.23Z", "43.32A"],
                 {"parois": 85, "signaletique": 15},
                 ["Menuiserie {nom}", "Agencement {lieu}", "Ébénisterie {nom}", "Mobilier {commune}"]),
    "medical": (0.20, ["32.50A", "46.46Z", "47.74Z", "46.69B", "46.49Z"],
                {"masques": 45, "surblouses": 20, "blouses": 10, "visieres": 10, "cameras_thermometres": 15},
                ["{nom} Médical", "Pharma Distribution {lieu}", "Médical Services {commune}",
                 "Distrimed {lieu}", "{nom} Santé"]),
    "securite": (0.08, ["80.20Z", "46.52Z", "43.21A", "26.51B"],
                 {"cameras_thermometres": 80, "signaletique": 20},
                 ["{nom} Sécurité", "Vidéoprotection {lieu}", "Thermique Services {commune}", "Électronique {lieu}"]),
    "industrie": (0.07, ["28.29B", "25.62B", "46.69B", "46.90Z"],
                  {"visieres": 30, "parois": 30, "masques": 20, "surblouses": 20},
                  ["{nom} Industrie", "Mécanique {lieu}", "Équipements {commune}", "Fournitures {lieu}"]),
}
LEGAL_FORMS = ["SAS", "SARL", "SAS", "SARL", "SA", "EURL", "SASU"]

EQUIPMENT_SEARCHES_MATCHING = [
    "masques", "masque tissu", "masque ffp2", "masques chirurgicaux", "visière", "visieres", "plexiglas",
    "hygiaphone", "blouse", "surblouse", "thermomètre", "caméra thermique", "signalétique",
    "marquage au sol", "masques enfants", "afnor", "paroi",
]
EQUIPMENT_SEARCHES_UNMATCHED = [
    "gel hydroalcoolique", "gants nitrile", "lingettes désinfectantes", "charlottes", "respirateur",
]

# --- Referrers ------------------------------------------------------------------------------
# (url, weight) per channel; later page views of a visit have the platform's own URL instead.

SEARCH_ENGINES = [
    ("https://www.google.fr/", 60), ("https://www.google.com/", 12), ("https://www.bing.com/", 8),
    ("https://www.qwant.com/", 8), ("https://www.ecosia.org/", 5), ("https://duckduckgo.com/", 4),
    ("https://fr.search.yahoo.com/", 3),
]
SOCIAL_FOOD = [
    ("https://www.facebook.com/", 30), ("http://m.facebook.com/", 25), ("https://l.facebook.com/", 20),
    ("https://www.instagram.com/", 10), ("https://t.co/", 8), ("https://www.linkedin.com/", 4),
]
SOCIAL_EQUIPMENT = [
    ("https://www.linkedin.com/", 45), ("https://www.facebook.com/", 20), ("https://t.co/", 15),
    ("https://l.facebook.com/", 10), ("http://m.facebook.com/", 6), ("https://www.instagram.com/", 2),
]
INSTITUTIONAL = [
    ("https://www.centre-valdeloire.fr/", 20),
    ("https://www.centre-valdeloire.fr/actualites/coronavirus-la-region-soutient-les-circuits-courts", 15),
    ("https://www.devup-centrevaldeloire.fr/", 15),
    ("https://www.economie.gouv.fr/coronavirus-soutien-entreprises", 10),
    ("https://www.gouvernement.fr/info-coronavirus", 8),
    ("http://www.indre-et-loire.gouv.fr/", 5), ("https://www.loiret.gouv.fr/", 5), ("http://www.cher.gouv.fr/", 4),
    ("http://www.eure-et-loir.gouv.fr/", 4), ("http://www.indre.gouv.fr/", 3), ("http://www.loir-et-cher.gouv.fr/", 3),
    ("http://www.prefectures-regions.gouv.fr/centre-val-de-loire", 4),
]
PRESS = [
    ("https://www.lanouvellerepublique.fr/tours/coronavirus-une-plateforme-regionale-pour-acheter-local", 25),
    ("https://www.lanouvellerepublique.fr/indre/confinement-les-producteurs-locaux-s-organisent", 10),
    ("https://www.larep.fr/orleans-45000/actualites/les-produits-frais-locaux-en-ligne", 15),
    ("https://www.leberry.fr/bourges-18000/actualites/acheter-local-pendant-le-confinement", 12),
    ("https://www.lechorepublicain.fr/chartres-28000/actualites/une-plateforme-pour-les-producteurs", 12),
    ("https://france3-regions.francetvinfo.fr/centre-val-de-loire/coronavirus-plateforme-regionale", 16),
    ("https://www.magcentre.fr/", 5), ("https://www.lanouvellerepublique.fr/", 5),
]
OTHER_SITES = [
    ("https://www.tours.fr/", 12), ("https://www.orleans-metropole.fr/", 10), ("https://www.bourges.fr/", 6),
    ("https://centre-valdeloire.chambres-agriculture.fr/", 12), ("https://www.cci-centre.fr/", 8),
    ("https://www.bienvenue-a-la-ferme.com/", 10), ("https://www.chartres.fr/", 5), ("https://www.blois.fr/", 5),
    ("android-app://com.google.android.gm/", 8), ("https://outlook.live.com/", 6),
    ("https://www.cma-cvl.fr/", 6), ("https://www.touraine-terroir.fr/", 4),
]
