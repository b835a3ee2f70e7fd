"""Value generators: labels whose values are made here rather than drawn from Faker or a pack's
word lists (dates, amounts, card numbers, crypto addresses, ...). ``t`` is a pack's ``rows``
table (its months, formats, decimal separator, ...); ``nationalities`` is common.yaml's list."""

from __future__ import annotations

import random
import string
from typing import Any, Callable

P_AGE_WORDS = 0.15  # share of AGE draws written out ("seventeen") where a pack has age_words (pools keep
# distinct values, so about a fifth of an AGE pool)

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_VIN = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _digits(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(string.digits) for _ in range(n))


def _date(rnd: random.Random, t: dict[str, Any], start: int, end: int) -> str:
    y, m, d = rnd.randint(start, end), rnd.randint(1, 12), rnd.randint(1, 28)
    return rnd.choice(t["date_formats"]).format(d=d, m=m, y=y, yy=y % 100, month=t["months"][m - 1])


def _time(rnd: random.Random, t: dict[str, Any]) -> str:
    hour, minute = rnd.randrange(24), rnd.randrange(60)
    return rnd.choice(t["time_formats"]).format(
        H=hour, M=minute, S=rnd.randrange(60), h=(hour % 12) or 12, ampm=t["ampm"][hour >= 12]
    ).strip()


def _age(rnd: random.Random, t: dict[str, Any]) -> str:
    words = t["age_words"]
    return rnd.choice(words) if words and rnd.random() < P_AGE_WORDS else str(rnd.randint(1, 99))


def _amount(rnd: random.Random, t: dict[str, Any]) -> str:
    value = rnd.choice([rnd.uniform(1, 100), rnd.uniform(100, 10_000), rnd.uniform(10_000, 900_000)])
    whole, cents = f"{value:,.2f}".split(".")
    text = whole.replace(",", t["thousands"])
    return text if rnd.random() < 0.2 else f"{text}{t['decimal']}{cents}"


def _height(rnd: random.Random, t: dict[str, Any]) -> str:
    cm = rnd.randint(145, 205)
    inches = round(cm / 2.54)
    return rnd.choice(t["height_formats"]).format(cm=cm, m=f"{cm / 100:.2f}".replace(".", t["decimal"]), ft=inches // 12,
                                                  inch=inches % 12)


def _secondary(rnd: random.Random, t: dict[str, Any]) -> str:
    return rnd.choice(t["secondary_formats"]).format(
        n=rnd.randint(1, 999), f=rnd.randint(1, 12), b=rnd.choice("ABCDEF"), letter=rnd.choice("ABCDEFGH")
    )


def _gps(rnd: random.Random) -> str:
    lat, lon = rnd.uniform(-60, 70), rnd.uniform(-170, 170)
    return rnd.choice(["[{:.4f}, {:.4f}]", "{:.5f}, {:.5f}", "[{:.2f},{:.2f}]"]).format(lat, lon)


def _card(fake: Any, rnd: random.Random) -> str:
    number = fake.credit_card_number()
    if rnd.random() < 0.4 and len(number) == 16:
        number = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def _masked(fake: Any, rnd: random.Random) -> str:
    number = fake.credit_card_number()
    keep = rnd.choice([4, 4, 6])
    return rnd.choice(["*", "X", "x"]) * (len(number) - keep) + number[-keep:]


def _imei(rnd: random.Random) -> str:
    d = _digits(rnd, 15)
    return d if rnd.random() < 0.5 else f"{d[:2]}-{d[2:8]}-{d[8:14]}-{d[14]}"


def _ip(fake: Any, rnd: random.Random) -> str:
    return fake.ipv4() if rnd.random() < 0.6 else fake.ipv6()


Generator = Callable[[Any, random.Random, dict[str, Any], list[str]], str]

# label -> generator(fake, rnd, t, nationalities) for labels that are not a plain Faker call or word list
GENERATORS: dict[str, Generator] = {
    "DATE": lambda fake, rnd, t, nat: _date(rnd, t, 1990, 2030),
    "DOB": lambda fake, rnd, t, nat: _date(rnd, t, 1930, 2012),
    "TIME": lambda fake, rnd, t, nat: _time(rnd, t),
    "AGE": lambda fake, rnd, t, nat: _age(rnd, t),
    "AMOUNT": lambda fake, rnd, t, nat: _amount(rnd, t),
    "HEIGHT": lambda fake, rnd, t, nat: _height(rnd, t),
    "SECONDARYADDRESS": lambda fake, rnd, t, nat: _secondary(rnd, t),
    "NEARBYGPSCOORDINATE": lambda fake, rnd, t, nat: _gps(rnd),
    "CREDITCARDNUMBER": lambda fake, rnd, t, nat: _card(fake, rnd),
    "MASKEDNUMBER": lambda fake, rnd, t, nat: _masked(fake, rnd),
    "PHONEIMEI": lambda fake, rnd, t, nat: _imei(rnd),
    "IP": lambda fake, rnd, t, nat: _ip(fake, rnd),
    "ACCOUNTNUMBER": lambda fake, rnd, t, nat: _digits(rnd, rnd.randint(8, 12)),
    "PIN": lambda fake, rnd, t, nat: _digits(rnd, rnd.choice([4, 4, 5, 6])),
    "PASSWORD": lambda fake, rnd, t, nat: fake.password(length=rnd.randint(8, 16)),
    "CURRENCYSYMBOL": lambda fake, rnd, t, nat: rnd.choice(["€", "$", "£", "¥", "₹", "₽", "CHF", "kr", "₺", "zł"]),
    "BITCOINADDRESS": lambda fake, rnd, t, nat: rnd.choice("13") + "".join(rnd.choice(_B58) for _ in range(rnd.randint(25, 33))),
    "LITECOINADDRESS": lambda fake, rnd, t, nat: rnd.choice("LM") + "".join(rnd.choice(_B58) for _ in range(rnd.randint(26, 33))),
    "ETHEREUMADDRESS": lambda fake, rnd, t, nat: "0x" + "".join(rnd.choice("0123456789abcdef") for _ in range(40)),
    "VEHICLEVIN": lambda fake, rnd, t, nat: "".join(rnd.choice(_VIN) for _ in range(17)),
    "COUNTRY": lambda fake, rnd, t, nat: fake.country(),
    "NATIONALITY": lambda fake, rnd, t, nat: rnd.choice(nat),
}


def address(value: str, rnd: random.Random) -> str:
    """A Faker address as one run of text: its line breaks become newlines, commas or spaces."""
    sep = rnd.choice(["\n", ", ", ", ", " "])
    return sep.join(" ".join(line.split()) for line in value.splitlines() if line.strip())
