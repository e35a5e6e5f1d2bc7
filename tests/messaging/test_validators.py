import pytest

from aircop.messaging import validators


@pytest.mark.parametrize("awb", ["176-12345675", "17612345675", "020 00000000", "618-23456786"])
def test_valid_air_waybills(awb):
    prefix, serial = validators.air_waybill(awb).split("-")
    assert len(prefix) == 3 and int(serial[:7]) % 7 == int(serial[7])


@pytest.mark.parametrize(
    ("awb", "message"), [("176-12345670", "check digit"), ("12-345", "11 digits"), ("", "11 digits")]
)
def test_bad_air_waybills(awb, message):
    with pytest.raises(ValueError, match=message):
        validators.air_waybill(awb)


def test_s10_mail_item_check_digit():
    # By hand with the S10 weights 8 6 4 2 3 5 9 7: 4*8+7*6+3*4+1*2+2*3+4*5+8*9+2*7 = 200,
    # 200 mod 11 = 2, 11 - 2 = 9.
    assert validators.s10_check_digit("47312482") == 9
    assert validators.mail_item("RR 473124829 FR") == "RR473124829FR"
    with pytest.raises(ValueError, match="check digit"):
        validators.mail_item("RR473124828FR")
    # Remainders 0 and 1 map to 5 and 0.
    assert validators.s10_check_digit("00000000") == 5


def test_flight_and_bag_tag():
    assert validators.flight_number("et 908") == "ET908"
    assert validators.flight_number("AF718") == "AF718"
    with pytest.raises(ValueError):
        validators.flight_number("908")
    assert validators.bag_tag("0071 123456") == "0071123456"
    assert validators.bag_tag("af123456") == "AF123456"
    with pytest.raises(ValueError):
        validators.bag_tag("12345")
