"""People: names, phones and ID numbers that look real and pass validation."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate

import phonenumbers

from guanjia.web.demo.names import (
    ELDER_FEMALE,
    ELDER_MALE,
    FEMALE_CHARS,
    ID_AREAS,
    MALE_CHARS,
    MOBILE_PREFIXES,
    SURNAMES,
)

# Common surnames are far more common: weight by rank.
_SURNAME_CUM_WEIGHTS = list(accumulate(1.0 / (rank + 8) for rank in range(len(SURNAMES))))

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_with_check(first17: str) -> str:
    """Append the GB 11643 check character to 17 digits."""
    return first17 + _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


class People:
    """Names, unique mobiles and ID numbers drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phones: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0]

    def given(self, male: bool, elder: bool = False) -> str:
        if elder and self.rng.random() < 0.7:
            return self.rng.choice(ELDER_MALE if male else ELDER_FEMALE)
        chars = MALE_CHARS if male else FEMALE_CHARS
        if self.rng.random() < 0.35:
            return self.rng.choice(chars)
        return self.rng.choice(chars) + self.rng.choice(chars)

    def name(self, *, male: bool, surname: str | None = None, elder: bool = False) -> str:
        return (surname or self.surname()) + self.given(male, elder)

    def mobile(self) -> str:
        """A valid, never-repeated mainland mobile number, in national form."""
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number in self.phones:
                continue
            if phonenumbers.is_valid_number(phonenumbers.parse(number, "CN")):
                self.phones.add(number)
                return number

    def landline(self) -> str:
        return f"0571-{self.rng.choice('5678')}{self.rng.randrange(10**7):07d}"

    def id_number(self, *, born: date, male: bool) -> str:
        seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)  # 17th digit: odd for men
        return id_number_with_check(f"{self.rng.choice(ID_AREAS)}{born:%Y%m%d}{seq:03d}")

    def birthday(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(last_year, 12, 31) - start).days))

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randrange(max(1, (last - first).days)))
