"""The demo workshop's words, written from the Safe Haven scheme's own description.

Kept apart from demo/courses.py so the seed's logic stays readable, and so a council can read and adapt
the words without reading code. Durations add up to 90 minutes.
"""

SIGNPOSTING_DIRECTORY_BLOCK = (
    "support_directory",
    {
        "intro": "These are the services our council asks Safe Havens to tell people about. Tap a number to "
        "call it, or let the person call from your venue.",
    },
)

# Each demo partner's support directory (`cms.SupportService`), shown by the block above on its own
# site and attached to its certificate emails. National numbers are the services' own; a council
# adapting this should check its local entries with the services before publishing them.
NATIONAL_SERVICES = [
    {
        "name": "National Domestic Abuse Helpline (Refuge)",
        "helps_with": "Anyone experiencing domestic abuse, and friends, family or colleagues worried about them.",
        "phone": "0808 2000 247",
        "hours": "24 hours, every day. Free.",
        "website": "https://www.nationaldahelpline.org.uk",
    },
    {
        "name": "Samaritans",
        "helps_with": "Anyone who is struggling to cope or thinking about suicide, and needs someone to listen.",
        "phone": "116 123",
        "hours": "24 hours, every day. Free.",
        "website": "https://www.samaritans.org",
    },
    {
        "name": "Rape Crisis 24/7 Support Line",
        "helps_with": "Women, men and young people aged 16 and over affected by rape, sexual abuse or harassment.",
        "phone": "0808 500 2222",
        "hours": "24 hours, every day. Free.",
        "website": "https://rapecrisis.org.uk",
    },
    {
        "name": "Victim Support",
        "helps_with": "Anyone affected by crime, whether or not it was reported to the police.",
        "phone": "08 08 16 89 111",
        "hours": "24 hours, every day. Free.",
        "website": "https://www.victimsupport.org.uk",
    },
    {
        "name": "Childline",
        "helps_with": "Children and young people under 19, about anything that worries them.",
        "phone": "0800 1111",
        "hours": "24 hours, every day. Free.",
        "website": "https://www.childline.org.uk",
    },
    {
        "name": "NHS 111 (press 2 for mental health crisis)",
        "helps_with": "Urgent health advice, and urgent mental health help for someone in crisis.",
        "phone": "111",
        "hours": "24 hours, every day. Free.",
        "website": "https://111.nhs.uk",
    },
    {
        "name": "Shout",
        "helps_with": "Anyone who would rather text than talk: text SHOUT to 85258 for a trained volunteer.",
        "phone": "",
        "hours": "24 hours, every day. Free.",
        "website": "https://giveusashout.org",
    },
]
SUPPORT_DIRECTORIES = {
    "Barking and Dagenham": [
        *NATIONAL_SERVICES[:2],
        {
            "name": "Barking and Dagenham Council",
            "helps_with": "Housing, homelessness, adult social care and children's services in the borough; "
            "ask for the domestic abuse team.",
            "phone": "020 8215 3000",
            "hours": "Monday to Friday, 9am to 5pm.",
            "website": "https://www.lbbd.gov.uk",
        },
        {
            "name": "Metropolitan Police (not an emergency)",
            "helps_with": "Reporting a crime or harassment that is not happening now. In an emergency call 999.",
            "phone": "101",
            "hours": "24 hours, every day.",
            "website": "https://www.met.police.uk",
        },
        *NATIONAL_SERVICES[2:],
    ],
    "Tunbridge Wells": [
        *NATIONAL_SERVICES[:2],
        {
            "name": "Release the Pressure (Kent and Medway)",
            "helps_with": "Anyone in Kent who is finding things hard and wants to talk to a trained counsellor.",
            "phone": "0800 107 0160",
            "hours": "24 hours, every day. Free.",
            "website": "https://www.releasethepressure.uk",
        },
        {
            "name": "Kent and Medway domestic abuse services",
            "helps_with": "Finding local domestic abuse support, refuges and advice anywhere in Kent.",
            "phone": "",
            "hours": "Online, any time.",
            "website": "https://www.domesticabuseservices.org.uk",
        },
        {
            "name": "Tunbridge Wells Borough Council",
            "helps_with": "Housing advice and homelessness, community safety and council services in the borough.",
            "phone": "01892 526121",
            "hours": "Monday to Friday, 9am to 5pm.",
            "website": "https://tunbridgewells.gov.uk",
        },
        {
            "name": "Kent Police (not an emergency)",
            "helps_with": "Reporting a crime or harassment that is not happening now. In an emergency call 999.",
            "phone": "101",
            "hours": "24 hours, every day.",
            "website": "https://www.kent.police.uk",
        },
        *NATIONAL_SERVICES[2:],
    ],
}

BARKING_MODULES = [
    {
        "title": "What a Safe Haven is",
        "duration_minutes": 10,
        "summary": "What the sticker in your window promises, who it is for, and what it does not ask of you.",
        "learning_outcomes": "<ul><li>Explain what a Safe Haven offers in one sentence</li>"
        "<li>Know who the scheme is for</li><li>Know what you are not expected to do</li></ul>",
        "body": [
            (
                "paragraph",
                "<p>A Safe Haven is a shop, café, pub, library, school, community centre or faith space "
                "that has agreed to help anyone who feels lost, harassed, bullied, unwell or unsafe "
                "while they are out. "
                "The scheme particularly looks out for women, girls and young people, but anyone can walk in and ask "
                "for help.</p>",
            ),
            ("heading", "What a Safe Haven can do"),
            (
                "paragraph",
                "<ul><li>let in someone who is being threatened or followed</li>"
                "<li>give them a space to feel safe and calm</li>"
                "<li>call an emergency service, a friend, a family member or a taxi for them</li>"
                "<li>give directions or public transport information, and let them charge a phone</li>"
                "<li>tell them about specialist support services</li></ul>",
            ),
            (
                "callout",
                {
                    "title": "You are not expected to be a hero",
                    "text": "<p>You never have to confront anyone, chase anyone or put yourself or your "
                    "colleagues at risk. Your job is to offer a safe place and to call the right help.</p>",
                },
            ),
            (
                "paragraph",
                "<p>The sticker tells people that everyone working in the venue knows what to do. "
                "That is why at least one person from each venue attends this workshop and shares what they learn "
                "with the rest of the team.</p>",
            ),
        ],
    },
    {
        "title": "Recognising someone in distress",
        "duration_minutes": 15,
        "summary": "The signs that someone needs help, including when they cannot or will not say so.",
        "learning_outcomes": "<ul><li>Spot the common signs of fear, panic and distress</li>"
        "<li>Start a calm, open conversation</li><li>Know when a situation is an emergency</li></ul>",
        "body": [
            (
                "paragraph",
                "<p>People in distress rarely announce it. Someone may come in and hover near the door, "
                "keep looking back outside, or ask an ordinary question just to have a reason to stay.</p>",
            ),
            ("heading", "Signs to look out for"),
            (
                "paragraph",
                "<ul><li>looking frightened, tearful, shaking or out of breath</li>"
                "<li>watching the door or the street, or hiding from view</li>"
                "<li>being followed in by someone who waits nearby</li>"
                "<li>seeming confused, lost or unwell, or unable to say where they are going</li>"
                "<li>a young person on their own late at night, or someone who seems very drunk or drugged</li></ul>",
            ),
            (
                "steps",
                {
                    "title": "Starting the conversation",
                    "steps": [
                        "Move to their level and speak calmly, using a low, steady voice.",
                        "Ask an open question: “Are you okay? Can I help with anything?”",
                        "Tell them they are welcome to stay here as long as they need.",
                        "Listen without judging, and let them decide what happens next.",
                    ],
                },
            ),
            (
                "callout",
                {
                    "title": "Is it an emergency?",
                    "text": "<p>If someone is injured, very unwell, or in immediate danger, call 999 straight "
                    "away. You do not need their permission to call an ambulance or the police in an "
                    "emergency.</p>",
                },
            ),
        ],
    },
    {
        "title": "Letting someone in and keeping them safe",
        "duration_minutes": 15,
        "summary": "How to give someone a safe, calm space in your venue while help is on its way.",
        "learning_outcomes": "<ul><li>Choose a safe spot in your own venue</li>"
        "<li>Keep the person and your colleagues safe</li><li>Handle someone who follows them in</li></ul>",
        "body": [
            (
                "paragraph",
                "<p>Think now about where in your venue someone could sit away from the window and the "
                "door, within sight of staff: a staff room, an office, a quiet corner behind the counter. Tell the "
                "rest of your team where it is.</p>",
            ),
            (
                "scenario",
                {
                    "title": "Someone comes in saying they are being followed",
                    "situation": "A young woman comes in quickly, out of breath. She says a man has been following her "
                    "from the station and is waiting outside.",
                    "what_to_do": [
                        "Believe her, and say so: “You’re safe here. Come and sit down.”",
                        "Take her to your safe spot, away from the window and the door.",
                        "Ask whether she wants you to call the police; if she is in danger now, call 999.",
                        "Offer to call a friend, family member or a licensed taxi to get her home.",
                        "Note the time and a description of the man in case the police ask for it.",
                    ],
                    "what_not_to_do": [
                        "Do not go outside to confront the man.",
                        "Do not ask her to prove what happened or question whether it was serious.",
                        "Do not send her back out on her own before she is ready.",
                    ],
                },
            ),
            ("heading", "If the other person comes in"),
            (
                "paragraph",
                "<p>Stay calm and polite. Do not tell them where the person is. If they will not leave "
                "or become threatening, call 999. Your safety and your colleagues’ safety come first.</p>",
            ),
        ],
    },
    {
        "title": "Calling help: emergency services, friends, family and taxis",
        "duration_minutes": 15,
        "summary": "Who to call and how: 999, 101, a trusted person, or a licensed taxi.",
        "learning_outcomes": "<ul><li>Decide between 999 and 101</li><li>Help someone contact a friend or "
        "family member</li><li>Book a safe, licensed taxi</li></ul>",
        "body": [
            ("heading", "999 or 101?"),
            (
                "paragraph",
                "<p>Call <strong>999</strong> when someone is in danger now, a crime is happening, or "
                "someone is seriously hurt or unwell. Call <strong>101</strong> (or report online) to tell the police "
                "about something that has already happened and is not an emergency.</p>",
            ),
            (
                "callout",
                {
                    "title": "If someone cannot speak on the phone",
                    "text": "<p>On a mobile, call 999 and press 55 when asked: the Silent Solution tells the "
                    "operator it is a genuine emergency. Deaf people and people with speech difficulties can "
                    "register for emergency SMS by texting “register” to 999.</p>",
                },
            ),
            (
                "steps",
                {
                    "title": "Calling a friend or family member",
                    "steps": [
                        "Ask who they would like you to call, and offer your phone or a charger.",
                        "Let them speak if they can; if not, ask what they want you to say.",
                        "Agree where the friend will meet them: inside your venue is safest.",
                    ],
                },
            ),
            (
                "steps",
                {
                    "title": "Booking a taxi",
                    "steps": [
                        "Only use a licensed taxi or a minicab booked through a licensed operator.",
                        "Book it for them and tell them the driver’s name and car registration.",
                        "Wait inside with them until the car arrives, and check the details match.",
                    ],
                },
            ),
        ],
    },
    {
        "title": "Directions and transport information",
        "duration_minutes": 10,
        "summary": "Helping someone get where they are going safely, by public transport or on foot.",
        "learning_outcomes": "<ul><li>Give clear directions to nearby stations and bus stops</li>"
        "<li>Find live travel information quickly</li></ul>",
        "body": [
            (
                "paragraph",
                "<p>Someone who is lost or frightened may just need clear directions. Keep a printed map "
                "of the area by the till, marked with your nearest stations, bus stops and taxi ranks.</p>",
            ),
            (
                "paragraph",
                "<ul><li>Barking station: District and Hammersmith &amp; City lines, c2c and the London "
                "Overground</li><li>Dagenham Heathway station: District line</li>"
                "<li>TfL Journey Planner and the TfL Go app show live times and step-free routes</li>"
                "<li>In London, text CAB to 60835 (Cabwise) for the numbers of licensed minicab firms nearby</li></ul>",
            ),
            (
                "steps",
                {
                    "title": "Giving directions well",
                    "steps": [
                        "Ask where they want to get to, and whether they need a step-free route.",
                        "Suggest the busiest, best-lit route, even if it is a little longer.",
                        "Offer to let them charge their phone before they set off.",
                    ],
                },
            ),
        ],
    },
    {
        "title": "Signposting to specialist support",
        "duration_minutes": 15,
        "summary": "National and local services you can point people to, and how to do it sensitively.",
        "learning_outcomes": "<ul><li>Know the main national helplines</li><li>Offer information without "
        "pressure</li></ul>",
        "body": [
            (
                "paragraph",
                "<p>You are not expected to give advice. You can help by telling someone about services "
                "that can, and by letting them contact one from your venue if they want to.</p>",
            ),
            SIGNPOSTING_DIRECTORY_BLOCK,
            (
                "callout",
                {
                    "title": "Let them choose",
                    "text": "<p>Offer the information; do not push. Someone may not be ready to call a service "
                    "today, and a leaflet or a number on a scrap of paper can matter later.</p>",
                },
            ),
        ],
    },
    {
        "title": "Looking after yourself",
        "duration_minutes": 10,
        "summary": "Helping someone in distress can stay with you. What to do afterwards.",
        "learning_outcomes": "<ul><li>Recognise the effect an incident can have on you</li>"
        "<li>Know where you can get support</li></ul>",
        "body": [
            (
                "paragraph",
                "<p>It is normal to feel shaken, upset or angry after helping someone who was frightened. "
                "Take a break if you can, and talk to a colleague or your manager.</p>",
            ),
            (
                "steps",
                {
                    "title": "After an incident",
                    "steps": [
                        "Write down what happened, when, and who was involved, while it is fresh.",
                        "Tell your manager, and the scheme team if you want to share what happened.",
                        "Talk it through with someone you trust.",
                        "If it keeps troubling you, contact your GP, your employer’s support line, "
                        "or Samaritans on 116 123.",
                    ],
                },
            ),
        ],
    },
]

TOGETHER_AS_ALLIES_MODULE = {
    "title": "#TogetherAsAllies: being an active bystander",
    "duration_minutes": 10,
    "summary": "Tunbridge Wells’ #TogetherAsAllies approach: everyone can safely help stop harassment.",
    "learning_outcomes": "<ul><li>Use the five Ds to step in safely</li><li>Know how #TogetherAsAllies works "
    "with the police in Tunbridge Wells</li></ul>",
    "body": [
        (
            "paragraph",
            "<p>#TogetherAsAllies brings businesses, the council and Kent Police together so that "
            "harassment of women and girls in the town is noticed and challenged, safely, by everyone. Safe Havens are "
            "part of that: a place an ally can bring someone to.</p>",
        ),
        (
            "steps",
            {
                "title": "The five Ds of being an active bystander",
                "steps": [
                    "Distract: interrupt, for example by asking the person the time or for directions.",
                    "Delegate: get help from a colleague, door staff or the police.",
                    "Document: if it is safe, note what happened, or film it and give it to the person harassed.",
                    "Delay: afterwards, check on the person: “Are you okay? Can I do anything?”",
                    "Direct: if it is safe, say clearly that the behaviour is not okay.",
                ],
            },
        ),
        (
            "scenario",
            {
                "title": "A customer is being pestered at the counter",
                "situation": "A man keeps making comments to a young woman waiting at your counter. She looks "
                "uncomfortable and keeps moving away.",
                "what_to_do": [
                    "Distract: speak to her directly about her order and give her space behind the counter.",
                    "Ask her quietly whether she is okay and whether she would like to wait in your safe spot.",
                    "Ask a colleague to keep an eye on the man; call 999 if he becomes threatening.",
                ],
                "what_not_to_do": [
                    "Do not ignore it because “it is only talk”.",
                    "Do not argue with him in a way that puts you or her at risk.",
                ],
            },
        ),
    ],
}

KNOWLEDGE_CHECK = [
    {
        "question": "Someone runs in saying they are being followed. What do you do first?",
        "options": ["Go outside and look for the person following them",
                    "Tell them they are safe and take them to a safe spot away from the door",
                    "Ask them to explain exactly what happened before you help"],
        "correct_option": 2,
    },
    {
        "question": "When should you call 999?",
        "options": ["When someone is in danger now or seriously hurt or unwell",
                    "Only when the person asks you to",
                    "To report something that happened last week"],
        "correct_option": 1,
    },
    {
        "question": "Someone on a mobile cannot speak after dialling 999. What can they do?",
        "options": ["Hang up and try 101", "Press 55 when asked", "Text 999 without registering"],
        "correct_option": 2,
    },
    {
        "question": "Which taxi should you book for someone?",
        "options": ["Whichever car is waiting outside", "A licensed taxi or a minicab from a licensed operator",
                    "A lift from another customer"],
        "correct_option": 2,
    },
    {
        "question": "The person following them comes into your venue. What should you do?",
        "options": ["Tell them where the person is so they can talk",
                    "Stay calm, do not say where the person is, and call 999 if they threaten anyone",
                    "Ask both of them to leave"],
        "correct_option": 2,
    },
]  # fmt: skip
