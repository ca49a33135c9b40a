"""What the demo trust looks like and how its ward teams write: organisation, people, phrase banks.

Kept apart from `services.demo` so the words can be improved without touching the generator. Every
name here is invented; no real patient, member of staff or trust is described.

Phrase templates use `str.format` slots filled by the generator for each observation:
{bay} {bay2} {side} {bed} {room} {time} {early} {late_start} {n} {n_word} {N_word} {many} {mins}
{long_mins} {other_ward} {kit} {stock}. Settings say where a phrase can be seen: w ward, l discharge
lounge, c outpatient clinic, r radiology, p pathology, f outpatient pharmacy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

TRUST_NAME = "Northbridge Teaching Hospitals NHS Trust"


@dataclass(frozen=True)
class AreaSpec:
    """One demo area: its name, kind, operating days and the setting its phrases come from."""

    name: str
    kind: str
    operating_days: int
    setting: str
    manager: str


@dataclass(frozen=True)
class CsuSpec:
    """One demo CSU with its embedded improvement specialist."""

    name: str
    specialist: str
    areas: tuple[AreaSpec, ...]


CSUS: tuple[CsuSpec, ...] = (
    CsuSpec(
        "Medicine",
        "Priya Raman",
        (
            AreaSpec("Ward 12 – Acute Medicine", "ward", 365, "w", "Sister A. Okafor"),
            AreaSpec("Ward 14 – Respiratory", "ward", 365, "w", "Charge Nurse D. Mensah"),
            AreaSpec("Ward 16 – Elderly Care", "ward", 365, "w", "Sister K. Byrne"),
            AreaSpec("Discharge Lounge", "department", 253, "l", "Sister M. Kowalska"),
            AreaSpec("Rheumatology Outpatients", "clinic", 253, "c", "Sister H. Achebe"),
        ),
    ),
    CsuSpec(
        "Surgery",
        "Tom Gallagher",
        (
            AreaSpec("Ward 22 – General Surgery", "ward", 365, "w", "Sister R. Patel"),
            AreaSpec(
                "Ward 24 – Trauma and Orthopaedics", "ward", 365, "w", "Charge Nurse S. Hughes"
            ),
            AreaSpec("Day Surgery Unit", "department", 253, "w", "Sister J. Fitzgerald"),
            AreaSpec("Fracture Clinic", "clinic", 253, "c", "Sister C. Nowak"),
        ),
    ),
    CsuSpec(
        "Women's and Children's",
        "Aisha Bello",
        (
            AreaSpec("Ward 31 – Children's Medical", "ward", 365, "w", "Sister E. Murphy"),
            AreaSpec("Ward 33 – Postnatal", "ward", 365, "w", "Midwife Manager L. Adeyemi"),
            AreaSpec("Antenatal Clinic", "clinic", 253, "c", "Midwife Manager F. Santos"),
        ),
    ),
    CsuSpec(
        "Clinical Support",
        "Ewan Fraser",
        (
            AreaSpec("Radiology – CT and MRI", "department", 365, "r", "Superintendent B. Chen"),
            AreaSpec(
                "Pathology Specimen Reception", "department", 365, "p", "Lab Manager G. Evans"
            ),
            AreaSpec("Outpatient Pharmacy", "department", 253, "f", "Lead Technician N. Begum"),
        ),
    ),
)

QUALITY_PARTNERS = ("Margaret Hollis", "Derek Asante", "Joan Whitfield", "Imran Sadiq")

# Titles of the people who walk alongside the manager, by setting; "HCA" first on purpose so the
# roster always has one where the setting has HCAs.
STAFF_TITLES: dict[str, tuple[str, ...]] = {
    "w": ("HCA", "Staff Nurse", "Staff Nurse", "Ward Clerk", "Physio", "Dr", "HCA"),
    "l": ("HCA", "Staff Nurse", "Staff Nurse", "Discharge Coordinator"),
    "c": ("HCA", "Staff Nurse", "Receptionist", "Dr", "Clinic Coordinator"),
    "r": ("Radiographer", "Radiographer", "Assistant Practitioner", "Radiology Assistant"),
    "p": ("MLA", "MLA", "BMS", "Specimen Reception Lead"),
    "f": ("Pharmacy Technician", "Dispenser", "Pharmacist", "Dispenser"),
}
INITIALS = "ABCDEFGHJKLMNPRSTW"
SURNAMES = (
    "Whitaker", "Brennan", "Iqbal", "Ahmed", "Thompson", "O'Neill", "Reyes", "Lewis", "Khan",
    "Dimitrova", "Owusu", "Harrison", "Nguyen", "Campbell", "Szabo", "Mahmood", "Doyle", "Kaur",
    "Jackson", "Pereira", "Walsh", "Osei", "Clarke", "Hussain", "Ward", "Novak", "Bennett",
    "Ferreira", "Rahman", "Lloyd", "Okoro", "Sharma", "Gray", "Costa", "Moran", "Ali",
)  # fmt: skip

# (focus, topic) by setting; a topic makes matching phrases likelier on that walk.
FOCUSES: dict[str, tuple[tuple[str, str], ...]] = {
    "w": (
        ("discharge before noon", "discharge"),
        ("medicines to take home", "tto"),
        ("bed turnaround", "beds"),
        ("stock room", "stock"),
        ("handover", "handover"),
        ("equipment and layout", "equipment"),
    ),
    "l": (
        ("medicines to take home", "tto"),
        ("patient transport", "transport"),
        ("discharge before noon", "discharge"),
    ),
    "c": (
        ("clinic flow", "flow"),
        ("waiting times in clinic", "flow"),
        ("stock room", "stock"),
        ("notes and results", "notes"),
        ("clinic room set-up", "equipment"),
    ),
    "r": (("request to report", "requests"), ("inpatient scans", "flow"), ("stock room", "stock")),
    "p": (("specimen journey", "specimen"), ("stock room", "stock"), ("handover", "handover")),
    "f": (("prescription turnaround", "requests"), ("stock room", "stock"), ("TTOs", "tto")),
}

PLACES: dict[str, tuple[str, ...]] = {
    "w": (
        "bay {bay}", "bay {bay} sluice", "clean utility", "dirty utility", "nurses' station",
        "treatment room", "side room {side}", "drug room", "stock room", "linen cupboard",
        "ward office", "day room", "corridor by lifts", "ward kitchen",
    ),
    "l": ("lounge reception", "chairs area", "trolley bay", "drug cupboard", "transport desk"),
    "c": (
        "reception desk", "waiting area", "clinic room {room}", "treatment room",
        "sub-wait corridor", "stock room",
    ),
    "r": ("CT control room", "MRI reception", "X-ray corridor", "reporting room", "store room"),
    "p": ("specimen reception bench", "pod station", "booking-in desk", "store room"),
    "f": ("dispensary bench", "hatch", "back store", "checking bench"),
}  # fmt: skip

KIT = (
    "bladder scanner", "sats probe", "hoist sling", "drip stand", "IV pump", "ECG machine",
    "blood glucose meter", "tympanic thermometer", "commode", "pressure-relieving cushion",
)  # fmt: skip
STOCK = (
    "cannulas", "dressing packs", "IV giving sets", "10 ml syringes", "catheter packs",
    "blood bottles", "sterile gloves", "wound swabs", "urine pots", "NG tubes",
)  # fmt: skip

FREQUENCIES = (
    ("every shift", 14), ("daily", 16), ("most days", 10), ("twice a week", 8), ("weekly", 6),
    ("every discharge", 5), ("several times a shift", 6), ("most mornings", 5),
    ("at every handover", 3), ("once or twice a month", 3), ("first time seen", 4), ("", 12),
)  # fmt: skip

WALK_NOTES = (
    "Top three wastes taken to the daily huddle.",
    "Team keen to start with the stock room; 5S session booked.",
    "Ward very busy (two admissions during the walk), so we kept it short.",
    "Follow-up walk in four weeks to see whether the changes have held.",
    "Matron to pick up the equipment issues with EBME.",
    "Good mix of staff; the HCAs spotted most of the motion waste.",
    "Ideas added to the improvement board by the nurses' station.",
    "Two countermeasures agreed on the spot; owners on the board.",
)
QUALITY_PARTNER_NOTE = "Quality Partner's view from the patient's chair changed what we looked at."

# Ideas offered when a phrase has none of its own, by waste; general enough to fit any phrase.
GENERIC_IDEAS: dict[str, tuple[str, ...]] = {
    "waiting": (
        "Add to the daily huddle board and track for a fortnight",
        "Agree a time standard with the team",
        "Map the process at the next huddle",
    ),
    "motion": (
        "Give it a home where it is used",
        "Spaghetti diagram of a shift to see the walking",
        "5S the area with the team",
    ),
    "inventory": (
        "Agree with the team how much is enough, and label it",
        "Make it visible on the huddle board",
    ),
    "transport": (
        "Agree a fixed collection time with portering",
        "Ask whether the journey is needed at all",
    ),
    "overproduction": ("Stop for a week and see who notices", "Only on request"),
    "overprocessing": (
        "Agree one place to record it",
        "Check with governance whether the extra step is needed",
    ),
    "defects": (
        "Share at the safety huddle and add a prompt to the checklist",
        "Mistake-proof it: make the right way the easy way",
    ),
    "skills": ("Ask the team at the huddle", "Review skill mix with the matron"),
}

# Scorecard domains each waste most often touches; an observation takes one or two of them.
DOMAINS: dict[str, tuple[str, ...]] = {
    "waiting": ("delivery", "service", "quality"),
    "motion": ("cost", "morale", "delivery"),
    "inventory": ("cost", "quality"),
    "transport": ("delivery", "cost", "service"),
    "overproduction": ("cost", "delivery"),
    "overprocessing": ("delivery", "morale", "service"),
    "defects": ("quality", "service", "cost"),
    "skills": ("morale", "cost"),
}


@dataclass(frozen=True)
class Phrase:
    """An observation as a team would write it, where it can be seen and what might fix it."""

    text: str
    settings: str
    places: tuple[str, ...] = ()
    idea: str = ""
    topic: str = ""


def _p(text: str, settings: str, places: str = "", idea: str = "", topic: str = "") -> Phrase:
    return Phrase(text, settings, tuple(p for p in places.split("|") if p), idea, topic)


# The banks are tables, one phrase per entry; the formatter would spread each over five lines.
# fmt: off
PHRASES: dict[str, tuple[Phrase, ...]] = {
    "waiting": (
        _p("TTOs for bay {bay} patients not back from pharmacy at {time}, {n_word} discharges held",
           "w", "nurses' station", "Write TTOs on the post-take round the day before discharge",
           "tto"),
        _p("Patient in bay {bay} medically fit since {early}, still waiting for transport booking",
           "w", "bay {bay}", "Book transport at the board round, not after it", "discharge"),
        _p("Bed {bed} stripped at {early}, still waiting for a domestic clean at {time}", "w",
           "bay {bay}", "Bleep housekeeping from the discharge checklist", "beds"),
        _p("Nurse in charge on hold to bed bureau for {mins} minutes", "w", "nurses' station",
           "", "beds"),
        _p("Consultant ward round not started until {late_start}; discharges waiting on senior "
           "review", "w", "nurses' station", "Board round at 08:30 to agree the day's discharges",
           "discharge"),
        _p("Bloods for bay {bay} not reviewed until after lunch, discharge held", "w", "bay {bay}",
           "", "discharge"),
        _p("Two patients sat in the day room with coats on for {long_mins} minutes waiting for "
           "discharge letters", "w", "day room", "", "discharge"),
        _p("Porter requested at {early} for X-ray, arrived {long_mins} minutes later", "w",
           "side room {side}|bay {bay}"),
        _p("Nurse waiting at the drug trolley for a second checker for IV antibiotics", "w",
           "treatment room|drug room", "Named second checker for each shift"),
        _p("CD check waited {mins} minutes for a registered nurse free to sign", "w", "drug room"),
        _p("Handover started {mins} minutes late while the night team finished obs", "w",
           "nurses' station", "Obs round finished by 07:00", "handover"),
        _p("Discharge letter for side room {side} written but not signed; patient waiting in chair",
           "w", "side room {side}", "", "discharge"),
        _p("Patient fit for discharge waiting on package of care restart, no date yet", "w",
           "bay {bay}", "Flag POC restarts to the discharge team on admission", "discharge"),
        _p("Phlebotomist missed bay {bay} on the morning round; bloods now waiting for the FY1",
           "w", "bay {bay}"),
        _p("Physio review needed before discharge; physio not on the ward until the afternoon",
           "w", "bay {bay}", "Physio to see expected discharges first", "discharge"),
        _p("Pharmacy query on a TTO sat in the tray since {early}", "w", "nurses' station",
           "Pharmacy queries phoned through, not left in the tray", "tto"),
        _p("Clean bed ready at {early} but not told to bed bureau until {time}", "w",
           "nurses' station", "Update the bed state as soon as the clean is done", "beds"),
        _p("Admission from ED waiting on a trolley while bed {bed} awaited a mattress swap", "w",
           "bay {bay}", "", "beds"),
        _p("{N_word} patients in the lounge waiting for TTOs, the longest since {early}", "l",
           "chairs area", "TTOs sent down with the patient or not at all", "tto"),
        _p("Patient waited {long_mins} minutes for hospital transport booked for the wrong time",
           "l", "transport desk", "Check transport bookings at 09:00 each day", "transport"),
        _p("Patient arrived from {other_ward} without a discharge letter; lounge nurse chasing by "
           "phone", "l", "lounge reception", "", "discharge"),
        _p("Relatives waiting at reception, nobody could say when the patient would be ready", "l",
           "lounge reception", "", "discharge"),
        _p("Clinic started {mins} minutes late; consultant still on the ward round", "c",
           "clinic room {room}", "Protect clinic start time in the job plan", "flow"),
        _p("{N_word} patients more than {long_mins} minutes past appointment time at {time}", "c",
           "waiting area", "Tell patients the wait on arrival", "flow"),
        _p("Queue of {many} for the blood test room after consultations", "c", "sub-wait corridor",
           "", "flow"),
        _p("Patient waited at reception for a follow-up date, booking system slow to load", "c",
           "reception desk", "", "flow"),
        _p("Nurse waiting for a free room to do a procedure", "c", "sub-wait corridor"),
        _p("Results from last visit not on the system; clinician waited while the lab rang back",
           "c", "clinic room {room}", "", "notes"),
        _p("Inpatient from {other_ward} waited {long_mins} minutes on a trolley for a porter back",
           "r", "X-ray corridor", "Porter slot booked with the scan", "flow"),
        _p("CT request waiting for vetting since {early}; radiologist in a list", "r",
           "CT control room", "Vetting slots twice a day", "requests"),
        _p("Radiographer waiting for a creatinine result before a contrast scan", "r",
           "CT control room", "", "flow"),
        _p("Specimen bags sat on the bench {mins} minutes before booking in", "p",
           "specimen reception bench", "", "specimen"),
        _p("Pod system down, specimens waiting for the porter run at {time}", "p", "pod station",
           "", "specimen"),
        _p("Urgent bloods waiting in the batch with routine ones", "p", "booking-in desk",
           "Red tray for urgent samples", "specimen"),
        _p("Outpatient prescriptions waiting {long_mins} minutes for a clinical check", "f",
           "checking bench", "", "requests"),
        _p("Patient waited at the hatch while a prescription was clarified with clinic by phone",
           "f", "hatch", "", "requests"),
        _p("TTO from {other_ward} queued behind outpatient work, ward chasing at {time}", "f",
           "dispensary bench", "Separate queue for TTOs", "tto"),
    ),
    "motion": (
        _p("HCA walked to {other_ward} twice for a bladder scanner", "w", "corridor by lifts",
           "Shared bladder scanner with a home base and a booking sheet", "equipment"),
        _p("Nurse opened {n} cupboards looking for a {kit}", "w", "clean utility|treatment room",
           "", "equipment"),
        _p("Drug trolley parked at the far end; nurse walked back {n_word} times during the round",
           "w", "bay {bay}", "", "tto"),
        _p("Only one working {kit} on the ward, passed from bay to bay", "w", "bay {bay}", "",
           "equipment"),
        _p("Walked to the office printer {n_word} times for one admission", "w", "ward office",
           "Printer at the nurses' station"),
        _p("Obs machine charging in the office, not near the bays", "w", "ward office",
           "Charging point in the bay corridor", "equipment"),
        _p("Linen trolley kept by the lifts; nurses walking the length of the ward for sheets", "w",
           "corridor by lifts", "Linen trolley in the middle of the ward", "beds"),
        _p("Dressing packs kept in the treatment room, wound care done in bay {bay}", "w",
           "treatment room"),
        _p("Bending to a floor-level shelf for IV fluids every time", "w", "clean utility",
           "Fast-moving fluids at waist height", "stock"),
        _p("Phone at the nurses' station rang {n} times while the nurse was in bay {bay}", "w",
           "nurses' station"),
        _p("Nurse in charge had the CD keys; staff searched the ward for her", "w", "drug room",
           "Keys on a lanyard handed over at the safety huddle", "tto"),
        _p("HCA went to the {other_ward} kitchen for thickener", "w", "ward kitchen",
           "Top-up thickener with the kitchen order"),
        _p("Sluice hopper blocked, commodes carried to the other sluice", "w",
           "bay {bay} sluice", "Report to Estates with a time to fix"),
        _p("Handover printer out of toner, walked to {other_ward} to print", "w", "ward office",
           "", "handover"),
        _p("Clean pillows stored in side room {side}, fetched for every bed change", "w",
           "side room {side}", "", "beds"),
        _p("Lounge nurse walked to pharmacy to collect TTOs, {mins} minutes each way", "l",
           "drug cupboard", "", "tto"),
        _p("Wheelchairs kept at the main entrance; staff fetching one for each patient", "l",
           "trolley bay", "", "transport"),
        _p("Clinic nurse left the room {n} times to fetch blood forms from reception", "c",
           "clinic room {room}", "Forms stocked in each clinic room", "flow"),
        _p("Weighing scales in the corridor; patients walked back and forth", "c",
           "sub-wait corridor", "", "flow"),
        _p("Doctor went looking for a free computer to view an X-ray", "c", "clinic room {room}",
           "", "equipment"),
        _p("Injection trolley restocked from the store at the other end of the department", "c",
           "stock room", "", "stock"),
        _p("Radiographer walked to {other_ward} to fetch a patient because porters were busy", "r",
           "X-ray corridor", "", "flow"),
        _p("Contrast kept in the store room, not in the CT control room", "r", "store room",
           "Day's contrast in the control room", "stock"),
        _p("MLA walked specimens to haematology instead of waiting for the runner", "p",
           "specimen reception bench", "", "specimen"),
        _p("Label printer at the far end of the bench; walking back for each batch", "p",
           "booking-in desk", "Move the printer to the booking-in desk", "specimen"),
        _p("Fast-moving packs on the top shelf of the back store; step ladder needed", "f",
           "back store", "Reslot by how often each item is picked", "stock"),
        _p("Technician walking to the hatch each time to call a patient", "f", "hatch"),
    ),
    "inventory": (
        _p("{N_word} boxes of expired {stock} in the clean utility", "w", "clean utility",
           "Weekly date check on a rota", "stock"),
        _p("{many} packs of {stock} behind the nurses' station; nobody knows who ordered them",
           "w", "nurses' station", "", "stock"),
        _p("Stock room shelves overflowing with {stock}; top-up ordered weekly whatever the use",
           "w", "stock room", "Two-bin kanban for the top ten items", "stock"),
        _p("Discharge letters for {n} patients waiting to be typed", "w", "ward office", "",
           "discharge"),
        _p("Broken {kit} in the dirty utility for three weeks awaiting EBME collection", "w",
           "dirty utility", "", "equipment"),
        _p("Spare commodes stacked in the bathroom, bath unusable", "w", "bay {bay}", "",
           "equipment"),
        _p("Patients' own medicines from earlier admissions still in the drug room", "w",
           "drug room", "Return to pharmacy on discharge", "tto"),
        _p("Linen cupboard: {many} pillowcases but no draw sheets", "w", "linen cupboard", "",
           "beds"),
        _p("{N_word} empty oxygen cylinders in the corridor waiting to be returned", "w",
           "corridor by lifts"),
        _p("Out-of-date versions of forms filling the document tray", "w", "ward office"),
        _p("Patients' property bags piled up waiting for collection", "l", "lounge reception"),
        _p("Wheelchairs and trolleys queued in the lounge entrance", "l", "trolley bay", "",
           "transport"),
        _p("{many} patients in the waiting area at {time}, chairs full", "c", "waiting area", "",
           "flow"),
        _p("Old-format leaflets {n_word} boxes deep in the stock room", "c", "stock room", "",
           "stock"),
        _p("Dressings stock duplicated in every clinic room", "c", "clinic room {room}", "",
           "stock"),
        _p("Backlog of {many} reports waiting for verification", "r", "reporting room", "",
           "requests"),
        _p("Expired contrast syringes in the store", "r", "store room", "", "stock"),
        _p("{many} unbooked request forms in the tray at {time}", "p", "booking-in desk", "",
           "specimen"),
        _p("Boxes of old-style blood bottles kept after the change of supplier", "p",
           "store room", "", "stock"),
        _p("Expired stock found on the shelf during the date check", "f", "back store", "",
           "stock"),
        _p("{many} bags of dispensed prescriptions not collected, some over two weeks old", "f",
           "hatch", "Text reminder at one week", "requests"),
    ),
    "transport": (
        _p("Patient moved from bay {bay} to bay {bay2}, then to side room {side}, in one shift",
           "w", "bay {bay}", "Agree bed moves once, at the board round", "beds"),
        _p("Blood samples walked to pathology by a staff nurse, {mins} minutes off the ward", "w",
           "treatment room", "Fix the pod station on this floor"),
        _p("Patient taken to the discharge lounge and brought back when TTOs were not ready", "w",
           "bay {bay}", "", "discharge"),
        _p("{kit} borrowed from {other_ward} and carried back at the end of the shift", "w",
           "corridor by lifts", "", "equipment"),
        _p("Patient outlying on {other_ward}; team walking between wards for the ward round", "w",
           "corridor by lifts", "", "beds"),
        _p("Meals trolley arrives at the bay 1 end; plates carried to bay {bay}", "w",
           "ward kitchen"),
        _p("Notes carried to the ward office and back to the bedside for each entry", "w",
           "ward office", "", "handover"),
        _p("Patient brought down from {other_ward} before TTOs were ready, then taken back up", "l",
           "chairs area", "", "tto"),
        _p("Case notes fetched from the library for a clinic that only used the electronic letter",
           "c", "reception desk", "", "notes"),
        _p("Patient sent to main X-ray and back to clinic for review", "c", "sub-wait corridor",
           "X-ray slots booked before the clinic appointment", "flow"),
        _p("Patient portered from {other_ward} for a scan, then returned because the consent form "
           "was missing", "r", "X-ray corridor", "", "flow"),
        _p("Specimens carried by hand to the lab on the floor above", "p",
           "specimen reception bench", "", "specimen"),
        _p("Prescriptions carried between the hatch and the dispensary in batches", "f", "hatch"),
    ),
    "overproduction": (
        _p("Observation charts printed for every bed each morning; half unused", "w",
           "nurses' station", "Print on demand only"),
        _p("Bloods taken 'just in case' on all bay {bay} patients", "w", "bay {bay}"),
        _p("Admission packs made up for every empty bed", "w", "ward office", "", "beds"),
        _p("Handover sheet printed {many} times, most copies left on the desk", "w",
           "nurses' station", "", "handover"),
        _p("Two weeks' TTO supply made up for a patient with a full supply at home", "w",
           "drug room", "Ask about medicines at home on admission", "tto"),
        _p("Meals ordered for patients already discharged", "w", "ward kitchen", "", "discharge"),
        _p("Sandwiches ordered for a full lounge, half sent back", "l", "chairs area"),
        _p("Clinic letters printed and posted as well as emailed", "c", "reception desk", "",
           "notes"),
        _p("Every patient weighed whatever the clinic", "c", "sub-wait corridor", "", "flow"),
        _p("Bloods booked for every follow-up whether needed or not", "c", "clinic room {room}"),
        _p("Reports printed and posted as well as on the system", "r", "reporting room"),
        _p("Full panels run where one add-on test was asked for", "p", "booking-in desk"),
        _p("Labels printed twice for every item", "f", "dispensary bench"),
    ),
    "overprocessing": (
        _p("Patient asked about allergies {n_word} times before 10:00", "w", "bay {bay}",
           "Record once, check the record"),
        _p("Falls risk recorded on paper and again in the electronic record", "w",
           "nurses' station", "Agree one place to record it"),
        _p("Handover given at the nurses' station then repeated at each bedside", "w",
           "nurses' station", "Bedside handover only", "handover"),
        _p("Fluid balance charts kept for patients with no clinical need", "w", "bay {bay}"),
        _p("Discharge checklist and discharge letter ask the same {many} questions", "w",
           "ward office", "", "discharge"),
        _p("Two nurses checking oral paracetamol", "w", "drug room",
           "Check policy: second checks only where the risk needs it", "tto"),
        _p("Bed state kept on the whiteboard, in the system and on paper for bed bureau", "w",
           "nurses' station", "", "beds"),
        _p("Lounge nurse repeats obs the ward did {mins} minutes earlier", "l", "chairs area"),
        _p("Same questionnaire filled in at reception and again in the clinic room", "c",
           "reception desk", "", "flow"),
        _p("Clinic outcome form and dictated letter repeat the same information", "c",
           "clinic room {room}", "", "notes"),
        _p("Request details typed again from the paper form into the system", "r",
           "CT control room", "", "requests"),
        _p("Request forms typed in by hand although ordered electronically", "p",
           "booking-in desk", "", "specimen"),
        _p("Low-risk items checked at the hatch, at dispensing and again at handout", "f",
           "checking bench"),
    ),
    "defects": (
        _p("Drug chart in bay {bay} missing a weight; pharmacy query holding the TTO", "w",
           "bay {bay}", "", "tto"),
        _p("Blood sample rejected by the lab as unlabelled; patient bled again", "w",
           "treatment room", "Label at the bedside, every time"),
        _p("Wrong diet delivered to side room {side}", "w", "side room {side}"),
        _p("Discharge letter sent without the medicines changes", "w", "ward office", "",
           "discharge"),
        _p("Pressure area chart not completed on the night shift", "w", "bay {bay}", "",
           "handover"),
        _p("{kit} past its service date, found when about to use it", "w", "clean utility", "",
           "equipment"),
        _p("Call bell in bay {bay} not working; patient had to shout", "w", "bay {bay}"),
        _p("TTOs arrived with one item missing, sent back to pharmacy", "l", "drug cupboard", "",
           "tto"),
        _p("Patient booked into the wrong clinic", "c", "reception desk"),
        _p("Referral letter missing results, appointment wasted", "c", "clinic room {room}", "",
           "notes"),
        _p("Request form missing clinical details; scan delayed while chasing", "r",
           "CT control room", "", "requests"),
        _p("Patient not fasted, scan rebooked", "r", "MRI reception", "", "flow"),
        _p("{n_word} haemolysed samples from {other_ward} this morning", "p", "booking-in desk",
           "", "specimen"),
        _p("Specimen received unlabelled and rejected", "p", "specimen reception bench", "",
           "specimen"),
        _p("Prescription missing the strength; clinic phoned to clarify", "f", "checking bench",
           "", "requests"),
    ),
    "skills": (
        _p("Band 6 nurse spent {long_mins} minutes chasing beds instead of supervising students",
           "w", "nurses' station", "", "beds"),
        _p("HCA trained in phlebotomy not allowed to take bloods on this ward", "w", "bay {bay}",
           "Review the local policy with the matron"),
        _p("Ward clerk has an idea for the bed board; nobody has asked her", "w",
           "nurses' station", "Ask the team at the huddle", "beds"),
        _p("Specialist nurse booking patients' appointments herself", "c", "reception desk"),
        _p("Receptionists have ideas about check-in that nobody has asked for", "c",
           "reception desk"),
        _p("Radiographer doing portering", "r", "X-ray corridor"),
        _p("BMS booking in specimens", "p", "booking-in desk"),
        _p("Pharmacist doing checks a technician is accredited to do", "f", "checking bench"),
    ),
}

# Text a hurried team member might type with a patient's NHS number in it; {nhs} is filled with a
# number built to pass the check digit from the reserved test range, never a real person's.
IDENTIFIER_PHRASES: tuple[tuple[str, Phrase], ...] = (
    ("defects", _p("Handover sheet left on the nurses' station with NHS number {nhs} written on "
                   "it", "w", "nurses' station", "Handover sheets go in the confidential bin")),
    ("waiting", _p("Bed request for {nhs} sent to bed bureau three times before a bed was given",
                   "w", "nurses' station", "", "beds")),
)
# fmt: on

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six")
